/**
 * The public URL when RAPPORT_PUBLIC_URL is not set: the address the server listens on,
 * with the port it actually got (`--port 0` picks one). A wildcard bind (`0.0.0.0`, `::`)
 * is reached on loopback from this machine.
 *
 * @example defaultPublicUrl('0.0.0.0', 5000) // 'http://127.0.0.1:5000'
 */
export function defaultPublicUrl(host: string, port: number): string {
  const name =
    host === '0.0.0.0' || host === '::' || host === ''
      ? '127.0.0.1'
      : host.includes(':') && !host.startsWith('[')
        ? `[${host}]`
        : host;
  return `http://${name}:${port}`;
}
