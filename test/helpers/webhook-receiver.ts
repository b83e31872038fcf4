import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  headers: IncomingHttpHeaders;
  body: any;
  raw: string;
  at: number;
}

/** A real HTTP endpoint on loopback that records what it receives. */
export async function startReceiver(
  respond: (req: Received, count: number) => number = () => 200,
): Promise<{ url: string; received: Received[]; close(): Promise<void>; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      const r: Received = { headers: req.headers, body, raw, at: Date.now() };
      received.push(r);
      res.statusCode = respond(r, received.length);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    server,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
