import { describe, expect, it } from 'vitest';
import { decodeEntities, escapeAttribute } from './entities.js';
import { htmlToText } from './html-to-text.js';
import { tokenizeHtml } from './tokenize.js';

describe('decodeEntities', () => {
  it.each([
    ['a &amp; b', 'a & b'],
    ['&lt;b&gt; &quot;x&quot; &apos;y&apos;', `<b> "x" 'y'`],
    ['&#65;&#x42;&#X43;&#68', 'ABCD'],
    ['&#0; &#xD800; &#x110000;', '\ufffd \ufffd \ufffd'],
    ['&nbsp;&euro;&hellip;', '\u00a0€…'],
    ['&unknown; &amp &copy=2', '&unknown; &amp &copy=2'],
  ])('%j', (text, decoded) => {
    expect(decodeEntities(text)).toBe(decoded);
  });

  it('round-trips through escapeAttribute', () => {
    const value = `a&b "c" &amp; 'd'`;
    expect(decodeEntities(escapeAttribute(value))).toBe(value);
  });
});

describe('tokenizeHtml', () => {
  it('covers the input with tokens in order', () => {
    const html = '<!doctype html><p class=a>x &amp; y<br/></p><!-- c --><style>p>a{}</style>tail';
    const tokens = [...tokenizeHtml(html)];
    expect(
      tokens.map((t) => [
        t.kind,
        t.kind === 'start' || t.kind === 'end' ? t.name : html.slice(t.start, t.end),
      ]),
    ).toEqual([
      ['other', '<!doctype html>'],
      ['start', 'p'],
      ['text', 'x &amp; y'],
      ['start', 'br'],
      ['end', 'p'],
      ['other', '<!-- c -->'],
      ['start', 'style'],
      ['text', 'p>a{}'],
      ['end', 'style'],
      ['text', 'tail'],
    ]);
    let at = 0;
    for (const t of tokens) {
      expect(t.start).toBe(at);
      at = t.end;
    }
    expect(at).toBe(html.length);
  });

  it('treats a lone < as text', () => {
    expect([...tokenizeHtml('1 < 2 <3')].map((t) => t.kind)).toEqual(['text']);
  });
});

describe('htmlToText', () => {
  it('renders blocks, links and leaves out hidden parts', () => {
    const html = `<html><head><title>T</title><style>.x{}</style></head><body>
      <div style="display:none">preheader <div>nested</div> still hidden</div>
      <h1>Hello&nbsp;Ann</h1>
      <p>Your <b>cart</b> is waiting:<br>2 items</p>
      <table><tr><td><img src="x.png" alt="Shoes"></td><td>€49</td></tr></table>
      <p><a href="https://shop.test/cart?a=1&amp;b=2">See your cart</a> or <a href="https://shop.test">https://shop.test</a></p>
      </body></html>`;
    expect(htmlToText(html)).toBe(
      [
        'Hello Ann',
        '',
        'Your cart is waiting:',
        '2 items',
        '',
        'Shoes €49',
        '',
        'See your cart (https://shop.test/cart?a=1&b=2) or https://shop.test',
      ].join('\n'),
    );
  });
});
