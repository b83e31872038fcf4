import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getAttribute, tokenizeHtml } from '../html/index.js';
import { rewriteLinks } from './rewrite-links.js';
import { signClickToken, signOpenToken, verifyClickToken, verifyOpenToken } from './tokens.js';

const track = (l: { index: number }) => `https://t.test/c/${l.index}`;

describe('rewriteLinks', () => {
  it('rewrites double, single and unquoted hrefs and keeps every other byte', () => {
    const html =
      `<p>A <a href="https://a.test/1">one</a>, <A class='x' HREF='https://a.test/2'>two</A>, ` +
      `<a href=https://a.test/3 target=_blank>three</a></p>`;
    const out = rewriteLinks(html, track);
    expect(out.html).toBe(
      `<p>A <a href="https://t.test/c/0">one</a>, <A class='x' HREF="https://t.test/c/1">two</A>, ` +
        `<a href="https://t.test/c/2" target=_blank>three</a></p>`,
    );
    expect(out.links).toEqual([
      { index: 0, url: 'https://a.test/1' },
      { index: 1, url: 'https://a.test/2' },
      { index: 2, url: 'https://a.test/3' },
    ]);
  });

  it('decodes entities in the destination and escapes the new value', () => {
    const html = `<a href="https://shop.test/p?a=1&amp;b=2&#38;c=&quot;3&quot;">x</a>`;
    const out = rewriteLinks(html, (l) => `https://t.test/c?u=${l.url}&k="1"`);
    expect(out.links[0]!.url).toBe('https://shop.test/p?a=1&b=2&c="3"');
    expect(out.html).toBe(
      `<a href="https://t.test/c?u=https://shop.test/p?a=1&amp;b=2&amp;c=&quot;3&quot;&amp;k=&quot;1&quot;">x</a>`,
    );
    const href = [...tokenizeHtml(out.html)].flatMap((t) =>
      t.kind === 'start' ? [getAttribute(t, 'href')!.value] : [],
    );
    expect(href).toEqual([`https://t.test/c?u=https://shop.test/p?a=1&b=2&c="3"&k="1"`]);
  });

  it('leaves a query that only looks like an entity alone', () => {
    const out = rewriteLinks(`<a href="https://s.test/?x=1&copy=2&lt=3">x</a>`, track);
    expect(out.links[0]!.url).toBe('https://s.test/?x=1&copy=2&lt=3');
  });

  it('reads > inside a quoted attribute and spaces around =', () => {
    const html = `<a title="a > b" data-x='<a href="https://no.test">' href = "https://yes.test" >x</a>`;
    const out = rewriteLinks(html, track);
    expect(out.links).toEqual([{ index: 0, url: 'https://yes.test' }]);
    expect(out.html).toBe(
      `<a title="a > b" data-x='<a href="https://no.test">' href = "https://t.test/c/0" >x</a>`,
    );
  });

  it('skips links in comments, conditional comments, scripts and styles', () => {
    const html = [
      '<!-- <a href="https://c.test/1">old</a> -->',
      '<!--[if mso]><a href="https://c.test/2">mso</a><![endif]-->',
      `<script>document.write('<a href="https://c.test/3">s</a>')</script>`,
      '<style>a[href="https://c.test/4"]{color:red}</style>',
      '<a href="https://c.test/5">real</a>',
    ].join('\n');
    const out = rewriteLinks(html, track);
    expect(out.links).toEqual([{ index: 0, url: 'https://c.test/5' }]);
    expect(out.html).toBe(html.replace('https://c.test/5', 'https://t.test/c/0'));
  });

  it('leaves mailto, tel, anchors, relative, javascript and malformed links alone', () => {
    const html = [
      '<a href="mailto:help@shop.test">m</a>',
      '<a href="tel:+33123">t</a>',
      '<a href="#top">a</a>',
      '<a href="/relative">r</a>',
      '<a href="javascript:alert(1)">j</a>',
      '<a href="https://">bad</a>',
      '<a>no href</a>',
      '<a href>empty</a>',
      '<link href="https://c.test/style.css">',
      '<abbr href="https://c.test/abbr">x</abbr>',
      '<a data-href="https://c.test/data">d</a>',
    ].join('');
    expect(rewriteLinks(html, track)).toEqual({ html, links: [] });
  });

  it('skips the excluded unsubscribe link and links marked no-track', () => {
    const unsub = 'https://r.test/unsubscribe/tok?a=1&b=2';
    const html =
      `<a href="https://r.test/unsubscribe/tok?a=1&amp;b=2">Unsubscribe</a>` +
      `<a data-rapport-no-track href="https://r.test/view">View</a>` +
      `<a href="https://shop.test">Shop</a>`;
    const out = rewriteLinks(html, track, { exclude: [unsub] });
    expect(out.links).toEqual([{ index: 0, url: 'https://shop.test' }]);
  });

  it('trims whitespace around the destination and uses the first of duplicate hrefs', () => {
    const out = rewriteLinks(
      `<a href="\n  https://one.test/x  " href="https://two.test">x</a>`,
      track,
    );
    expect(out.links).toEqual([{ index: 0, url: 'https://one.test/x' }]);
    expect(out.html).toBe(`<a href="https://t.test/c/0" href="https://two.test">x</a>`);
  });

  it('keeps a link when makeUrl returns null, and numbers only the tracked ones', () => {
    const html = '<a href="https://a.test">a</a><a href="https://b.test">b</a>';
    const out = rewriteLinks(html, (l) =>
      l.url.includes('a.test') ? null : `https://t/${l.index}`,
    );
    expect(out.html).toBe('<a href="https://a.test">a</a><a href="https://t/0">b</a>');
    expect(out.links).toEqual([{ index: 0, url: 'https://b.test' }]);
  });

  it('puts the open pixel before the last </body>, or at the end', () => {
    const pixel = (u: string) =>
      `<img src="${u}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
    expect(
      rewriteLinks('<html><body><p>x</p></BODY></html>', track, {
        openPixelUrl: 'https://t.test/o?a=1&b=2',
      }).html,
    ).toBe(`<html><body><p>x</p>${pixel('https://t.test/o?a=1&amp;b=2')}</BODY></html>`);
    expect(
      rewriteLinks('<p>x<!-- </body> --></p>', track, { openPixelUrl: 'https://t.test/o' }).html,
    ).toBe(`<p>x<!-- </body> --></p>${pixel('https://t.test/o')}`);
  });

  it('stops at an unterminated tag and leaves the rest as text', () => {
    const html = '<a href="https://a.test">a</a><a href="https://b.test';
    const out = rewriteLinks(html, track);
    expect(out.html).toBe('<a href="https://t.test/c/0">a</a><a href="https://b.test');
  });

  // Fragments with a known number of trackable links.
  const fragments: [string, number][] = [
    ['<p>text &amp; more</p>', 0],
    ['<a href="https://x.test/a?b=1&amp;c=2">x</a>', 1],
    ["<a class='c' href='https://y.test'>y</a>", 1],
    ['<a href=https://z.test>z</a>', 1],
    ['<a href="mailto:a@b.test">m</a>', 0],
    ['<!-- <a href="https://hidden.test"> -->', 0],
    ['<script>"<a href=\\"https://s.test\\">"</script>', 0],
    ['<img src="https://img.test/x.png" alt="a > b">', 0],
    ['<table><tr><td><A HREF="https://t.test">T</A></td></tr></table>', 1],
    ['<a title=">" href="https://q.test">q</a>', 1],
  ];

  it('finds exactly the trackable links of any mix of fragments and preserves the rest (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 12 }), (picked) => {
        const html = picked.map(([f]) => f).join('\n');
        const expected = picked.reduce((n, [, k]) => n + k, 0);
        const out = rewriteLinks(html, (l) => `https://track.test/${l.index}`);
        expect(out.links).toHaveLength(expected);
        expect(rewriteLinks(html, () => null).html).toBe(html);
        // Rewriting back to the original destinations gives the links again, in order.
        const back = rewriteLinks(out.html, (l) => out.links[Number(l.url.split('/').pop())]!.url);
        expect(back.links.map((l) => l.url)).toEqual(
          out.links.map((_, i) => `https://track.test/${i}`),
        );
        expect(rewriteLinks(back.html, (l) => l.url).links.map((l) => l.url)).toEqual(
          out.links.map((l) => l.url),
        );
      }),
    );
  });
});

const SECRET = 'tracking-secret-0123456789';
const NOW = Date.UTC(2026, 2, 1);

describe('click and open tokens', () => {
  const claims = {
    messageId: 'msg_1',
    profileId: 'prof_1',
    linkIndex: 2,
    url: 'https://shop.test/p/1?utm_source=email',
    exp: NOW + 1000,
  };

  it('round-trip and expire', () => {
    const token = signClickToken(claims, SECRET);
    expect(verifyClickToken(token, SECRET, NOW)).toEqual({ kind: 'ok', claims });
    expect(verifyClickToken(token, SECRET, NOW + 1000)).toEqual({
      kind: 'refused',
      reason: 'expired',
      claims,
    });
    const open = signOpenToken({ messageId: 'msg_1', profileId: 'prof_1', exp: NOW + 5 }, SECRET);
    expect(verifyOpenToken(open, SECRET, NOW)).toEqual({
      kind: 'ok',
      claims: { messageId: 'msg_1', profileId: 'prof_1', exp: NOW + 5 },
    });
  });

  it('cannot be edited to another destination or swapped between kinds', () => {
    const token = signClickToken(claims, SECRET);
    const [body, sig] = token.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    payload.u = 'https://evil.test';
    const forged = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    expect(verifyClickToken(forged, SECRET, NOW)).toEqual({
      kind: 'refused',
      reason: 'bad_signature',
    });
    const open = signOpenToken({ messageId: 'm', profileId: 'p', exp: NOW + 5 }, SECRET);
    expect(verifyClickToken(open, SECRET, NOW)).toEqual({
      kind: 'refused',
      reason: 'bad_signature',
    });
  });

  it('refuses to sign a destination that is not http(s)', () => {
    expect(() => signClickToken({ ...claims, url: 'javascript:alert(1)' }, SECRET)).toThrow();
  });
});
