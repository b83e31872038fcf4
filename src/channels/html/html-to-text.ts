import { decodeEntities } from './entities.js';
import { getAttribute, tokenizeHtml } from './tokenize.js';

// Tags that end a line of text; `br` and the block elements mail layouts use.
const BREAKS = new Set([
  'br',
  'p',
  'div',
  'tr',
  'li',
  'ul',
  'ol',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'hr',
  'section',
  'article',
  'header',
  'footer',
  'center',
  'pre',
]);
// Whose text is never shown.
const HIDDEN = new Set(['head', 'script', 'style', 'title', 'template']);
// Elements without an end tag.
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

function isHidden(style: string | undefined): boolean {
  return style !== undefined && /display\s*:\s*none/i.test(style);
}

/**
 * A plain-text rendering of mail HTML for the `text/plain` part when a template has no
 * text of its own: text in document order, a line per block, links as `text (url)`,
 * `<head>`, scripts, styles and `display:none` elements (preheaders) left out.
 *
 * @example htmlToText('<p>Hi <b>Ann</b></p><p><a href="https://x.test/c">Your cart</a></p>')
 *   // 'Hi Ann\n\nYour cart (https://x.test/c)'
 */
export function htmlToText(html: string): string {
  const lines: string[] = [];
  let line = '';
  // The open elements inside a hidden one (itself first); empty when text is shown.
  const hidden: string[] = [];
  const linkStack: (string | null)[] = [];
  const breakLine = (blank: boolean): void => {
    const text = line.replace(/[ \t\u00a0]+/g, ' ').trim();
    if (text !== '') lines.push(text);
    if (blank && lines.at(-1) !== '') lines.push('');
    line = '';
  };
  for (const token of tokenizeHtml(html)) {
    if (token.kind === 'text') {
      if (hidden.length === 0 && !token.raw) {
        line += decodeEntities(html.slice(token.start, token.end)).replace(/\s+/g, ' ');
      }
    } else if (token.kind === 'start') {
      const opens = !token.selfClosing && !VOID.has(token.name);
      if (hidden.length > 0) {
        if (opens) hidden.push(token.name);
        continue;
      }
      if (HIDDEN.has(token.name) || isHidden(getAttribute(token, 'style')?.value)) {
        if (opens) hidden.push(token.name);
        continue;
      }
      if (token.name === 'a') linkStack.push(getAttribute(token, 'href')?.value.trim() ?? null);
      if (token.name === 'img') line += getAttribute(token, 'alt')?.value ?? '';
      if (BREAKS.has(token.name)) breakLine(token.name === 'p' || /^h\d$/.test(token.name));
    } else if (token.kind === 'end') {
      if (hidden.length > 0) {
        // Close up to the matching element, as a parser does for a missing end tag.
        const at = hidden.lastIndexOf(token.name);
        if (at >= 0) hidden.length = at;
        continue;
      }
      if (token.name === 'a') {
        const href = linkStack.pop();
        if (href && /^https?:/i.test(href) && !line.includes(href)) line += ` (${href})`;
      }
      if (BREAKS.has(token.name)) breakLine(token.name === 'p' || /^h\d$/.test(token.name));
      else if (token.name === 'td' || token.name === 'th') line += ' ';
    }
  }
  breakLine(false);
  while (lines.at(-1) === '') lines.pop();
  while (lines[0] === '') lines.shift();
  return lines.join('\n');
}
