import { z } from 'zod';

/** Decides whether links to a host may be tracked (and their redirect served). */
export type HostMatcher = (hostname: string) => boolean;

/**
 * The host of an http(s) URL as a browser reads it: lower case, punycode, without a
 * trailing dot; `null` for anything else. `https://shop.test@evil.test/` is evil.test and
 * `https://shop.test\@evil.test` is shop.test, as the WHATWG URL parser (and so every
 * browser following the redirect) reads them.
 */
export function hostOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.hostname.replace(/\.$/, '');
}

/** A bare host name in its canonical form, or null when it is not one. */
function canonicalHost(host: string): string | null {
  // Ports, paths, credentials and wildcards inside the name are not host names.
  if (host === '' || /[/?#@:\\\s*]/.test(host)) return null;
  return hostOf(`https://${host}/`);
}

function patternHost(pattern: string): { host: string; subdomains: boolean } | null {
  const subdomains = pattern.startsWith('*.');
  const host = canonicalHost(subdomains ? pattern.slice(2) : pattern);
  if (host === null) return null;
  // `*.com` would allow a whole top-level domain: certainly a mistake.
  if (subdomains && !host.includes('.')) return null;
  return { host, subdomains };
}

/** `shop.example.com`, or `*.example.com` for every subdomain of example.com. */
export const HostPattern = z
  .string()
  .max(253)
  .refine(
    (p) => patternHost(p) !== null,
    'must be a host name such as shop.example.com, or *.example.com for its subdomains (no scheme, port or path)',
  );

/**
 * A matcher for host patterns (see `HostPattern`); invalid patterns match nothing. Host
 * names compare case-insensitively and without a trailing dot; `*.example.com` matches
 * `a.example.com` and `a.b.example.com`, not `example.com` itself.
 *
 * @example
 * const allowed = hostMatcher(['shop.example.com', '*.cdn.example.com']);
 * allowed('img.cdn.example.com'); // true
 * allowed('evil.example'); // false
 */
export function hostMatcher(patterns: readonly string[]): HostMatcher {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const pattern of patterns) {
    const p = patternHost(pattern);
    if (!p) continue;
    if (p.subdomains) suffixes.push(`.${p.host}`);
    else exact.add(p.host);
  }
  return (hostname) => {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    return exact.has(host) || suffixes.some((s) => host.endsWith(s));
  };
}
