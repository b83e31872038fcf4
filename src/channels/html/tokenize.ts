import { decodeEntities } from './entities.js';

/** An attribute of a start tag; offsets index the original HTML. */
export interface HtmlAttribute {
  /** Lower-cased. */
  name: string;
  /** Entity-decoded value; `''` for a bare attribute. */
  value: string;
  /** Where the raw value starts, quote included; equals `valueEnd` for a bare attribute. */
  valueStart: number;
  valueEnd: number;
}

export type HtmlToken =
  | {
      kind: 'start';
      /** Lower-cased tag name. */
      name: string;
      start: number;
      end: number;
      attributes: HtmlAttribute[];
      selfClosing: boolean;
    }
  | { kind: 'end'; name: string; start: number; end: number }
  /** Text; `raw` is the content of `<script>`, `<style>` and the like, which is not markup. */
  | { kind: 'text'; start: number; end: number; raw: boolean }
  /** Comments (conditional comments included), doctypes, processing instructions. */
  | { kind: 'other'; start: number; end: number };

// Elements whose content is text up to their end tag, never markup (HTML's raw text and
// escapable raw text elements).
const RAW_TEXT = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
]);

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\n' || c === '\t' || c === '\f' || c === '\r';
const isAsciiLetter = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));

interface TagScan {
  name: string;
  attributes: HtmlAttribute[];
  selfClosing: boolean;
  /** Index just past the closing `>`, or -1 when the tag never closes. */
  end: number;
}

/** Reads a tag from its name (just after `<` or `</`), following HTML's tokenizer states. */
function scanTag(html: string, from: number): TagScan {
  const n = html.length;
  let i = from;
  while (i < n && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>') i++;
  const name = html.slice(from, i).toLowerCase();
  const attributes: HtmlAttribute[] = [];
  let selfClosing = false;
  while (i < n) {
    const c = html[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '>') return { name, attributes, selfClosing, end: i + 1 };
    if (c === '/') {
      selfClosing = html[i + 1] === '>';
      i++;
      continue;
    }
    selfClosing = false;
    // Attribute name: a leading `=` is part of the name, as in the spec.
    const nameStart = i;
    i++;
    while (i < n && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>' && html[i] !== '=') i++;
    const attrName = html.slice(nameStart, i).toLowerCase();
    let j = i;
    while (j < n && isSpace(html[j])) j++;
    if (html[j] !== '=') {
      attributes.push({ name: attrName, value: '', valueStart: i, valueEnd: i });
      i = j;
      continue;
    }
    j++;
    while (j < n && isSpace(html[j])) j++;
    const quote = html[j];
    let valueStart = j;
    let valueEnd: number;
    let raw: string;
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, j + 1);
      if (close < 0) return { name, attributes, selfClosing: false, end: -1 };
      raw = html.slice(j + 1, close);
      valueEnd = close + 1;
    } else {
      valueStart = j;
      while (j < n && !isSpace(html[j]) && html[j] !== '>') j++;
      raw = html.slice(valueStart, j);
      valueEnd = j;
    }
    attributes.push({ name: attrName, value: decodeEntities(raw), valueStart, valueEnd });
    i = valueEnd;
  }
  return { name, attributes, selfClosing: false, end: -1 };
}

/** Index of the `</name` that ends a raw text element, or the end of the input. */
function rawTextEnd(html: string, from: number, name: string): number {
  // `name` is one of RAW_TEXT's plain letters, safe inside a pattern.
  const close = new RegExp(`</${name}(?=[\\s/>]|$)`, 'gi');
  close.lastIndex = from;
  return close.exec(html)?.index ?? html.length;
}

/**
 * Splits HTML into tags, text, comments and raw text, with offsets into the input, so a
 * caller can rewrite one attribute and leave every other byte as it was. It follows the
 * HTML tokenizer closely enough for mail: quoted and unquoted attribute values, `>`
 * inside quotes, upper-case names, comments (conditional comments included) and the
 * content of `<script>`/`<style>` which is never markup. An unterminated tag or comment
 * ends the markup: the rest is text.
 */
export function* tokenizeHtml(html: string): Generator<HtmlToken> {
  const n = html.length;
  let i = 0;
  let textStart = 0;
  const flushText = function* (upTo: number): Generator<HtmlToken> {
    if (upTo > textStart) yield { kind: 'text', start: textStart, end: upTo, raw: false };
  };
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    const next = html[lt + 1];
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      const end = close < 0 ? n : close + 3;
      yield* flushText(lt);
      yield { kind: 'other', start: lt, end };
      i = textStart = end;
    } else if (next === '!' || next === '?') {
      const close = html.indexOf('>', lt + 2);
      const end = close < 0 ? n : close + 1;
      yield* flushText(lt);
      yield { kind: 'other', start: lt, end };
      i = textStart = end;
    } else if (next === '/' && isAsciiLetter(html[lt + 2])) {
      const tag = scanTag(html, lt + 2);
      if (tag.end < 0) break;
      yield* flushText(lt);
      yield { kind: 'end', name: tag.name, start: lt, end: tag.end };
      i = textStart = tag.end;
    } else if (isAsciiLetter(next)) {
      const tag = scanTag(html, lt + 1);
      if (tag.end < 0) break;
      yield* flushText(lt);
      yield {
        kind: 'start',
        name: tag.name,
        start: lt,
        end: tag.end,
        attributes: tag.attributes,
        selfClosing: tag.selfClosing,
      };
      i = textStart = tag.end;
      if (RAW_TEXT.has(tag.name) && !tag.selfClosing) {
        const end = rawTextEnd(html, i, tag.name);
        if (end > i) yield { kind: 'text', start: i, end, raw: true };
        i = textStart = end;
      }
    } else {
      i = lt + 1;
    }
  }
  yield* flushText(n);
}

/** The first attribute of that name (later duplicates are ignored, as by browsers). */
export function getAttribute(
  token: Extract<HtmlToken, { kind: 'start' }>,
  name: string,
): HtmlAttribute | undefined {
  return token.attributes.find((a) => a.name === name);
}
