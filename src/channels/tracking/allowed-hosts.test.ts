import { describe, expect, it } from 'vitest';
import { HostPattern, hostMatcher, hostOf } from './allowed-hosts.js';
import { linkHosts, rewriteLinks } from './rewrite-links.js';

const track = (l: { index: number }) => `https://t.test/c/${l.index}`;

describe('hostOf', () => {
  it.each([
    ['https://Shop.Example.com./p?x=1', 'shop.example.com'],
    ['http://127.0.0.1:4700/x', '127.0.0.1'],
    // What a browser follows: credentials before @ are not the host; \ is a / here.
    ['https://shop.test@evil.test/', 'evil.test'],
    ['https://shop.test\\@evil.test/', 'shop.test'],
    ['https://bücher.example/', 'xn--bcher-kva.example'],
    ['mailto:a@shop.test', null],
    ['javascript:alert(1)', null],
    ['/relative', null],
    ['not a url', null],
  ])('%s -> %s', (url, host) => {
    expect(hostOf(url)).toBe(host);
  });
});

describe('hostMatcher and HostPattern', () => {
  const allowed = hostMatcher(['Shop.Example.com', '*.cdn.example.com', 'bücher.example']);

  it.each([
    ['shop.example.com', true],
    ['SHOP.example.com.', true],
    ['img.cdn.example.com', true],
    ['a.b.cdn.example.com', true],
    ['xn--bcher-kva.example', true],
    ['cdn.example.com', false],
    ['example.com', false],
    ['shop.example.com.evil.test', false],
    ['evilcdn.example.com', false],
    ['', false],
  ])('%s -> %s', (host, ok) => {
    expect(allowed(host)).toBe(ok);
  });

  it.each(['shop.example.com', '*.example.com', '127.0.0.1', 'bücher.example'])(
    'accepts %s',
    (p) => {
      expect(HostPattern.safeParse(p).success).toBe(true);
    },
  );

  it.each([
    '',
    'https://shop.example.com',
    'shop.example.com/path',
    'shop.example.com:443',
    'user@shop.example.com',
    '*.com',
    '*',
    'sh*p.example.com',
    '*.*.example.com',
    'shop example.com',
  ])('refuses %j', (p) => {
    expect(HostPattern.safeParse(p).success).toBe(false);
    expect(hostMatcher([p])('shop.example.com')).toBe(false);
  });
});

describe('rewriteLinks with allowHost', () => {
  const html =
    '<a href="https://shop.test/a">a</a><a href="https://evil.test/b">b</a>' +
    '<a href="https://shop.test@evil.test/c">c</a><a href="HTTPS://SHOP.TEST/d">d</a>';

  it('tracks allowed hosts only, numbering the tracked links from 0, and keeps the others byte for byte', () => {
    const out = rewriteLinks(html, track, { allowHost: hostMatcher(['shop.test']) });
    expect(out.links).toEqual([
      { index: 0, url: 'https://shop.test/a' },
      { index: 1, url: 'HTTPS://SHOP.TEST/d' },
    ]);
    expect(out.html).toBe(
      '<a href="https://t.test/c/0">a</a><a href="https://evil.test/b">b</a>' +
        '<a href="https://shop.test@evil.test/c">c</a><a href="https://t.test/c/1">d</a>',
    );
  });

  it('tracks nothing when no host is allowed', () => {
    expect(rewriteLinks(html, track, { allowHost: () => false })).toEqual({ html, links: [] });
  });

  it('lists the distinct hosts it could track', () => {
    expect(linkHosts(html)).toEqual(['shop.test', 'evil.test']);
    expect(
      linkHosts(html, { exclude: ['https://evil.test/b', 'https://shop.test@evil.test/c'] }),
    ).toEqual(['shop.test']);
    expect(linkHosts('<a href="mailto:x@y.test">m</a><a href="/r">r</a>')).toEqual([]);
  });
});
