import { getAttribute, tokenizeHtml } from '../html/index.js';

/** Something worth knowing about a template that does not stop it from being saved. */
export interface TemplateWarning {
  path: string;
  problem: string;
}

/**
 * Variables whose values whoever holds a write key (public in every browser) decides:
 * the triggering event, the cart lines taken from events, stated traits.
 */
const EVENT_DATA = ['event', 'message.items', 'profile.traits'];

// Liquid markup inside a source: outputs and tags. An unterminated one (an attribute
// value the HTML tokenizer cut at a quote inside the markup) runs to the end.
const MARKUP = /\{\{[\s\S]*?(?:\}\}|$)|\{%[\s\S]*?(?:%\}|$)/g;
const STRING = /"[^"]*"|'[^']*'/g;
const PATH = /(?<![\w.\]])([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[[^\]]*\])*)/g;
const BINDING = /\{%-?\s*(assign|for|capture)\s+([A-Za-z_][\w-]*)\s*(?:=|\bin\b)?([\s\S]*?)-?%\}/g;

/** The first event-data variable an expression reads, or null. */
function eventDataIn(expression: string, tainted: ReadonlySet<string>): string | null {
  for (const [, path] of expression.replace(STRING, '""').matchAll(PATH)) {
    const root = path!.split(/[.[]/)[0]!;
    if (tainted.has(root)) return path!;
    const hit = EVENT_DATA.find(
      (p) => path === p || path!.startsWith(`${p}.`) || path!.startsWith(`${p}[`),
    );
    if (hit) return path!;
  }
  return null;
}

/**
 * Names bound from event data in a source: `{% assign u = event.properties.url %}`,
 * `{% for p in event.properties.products %}`, a `{% capture %}` that prints event data,
 * and names bound from those in turn.
 */
function taintedNames(source: string): Set<string> {
  const tainted = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const m of source.matchAll(BINDING)) {
      const [, kind, name, rest] = m;
      if (tainted.has(name!)) continue;
      let expression = rest!;
      if (kind === 'capture') {
        const end = source.indexOf('endcapture', m.index + m[0].length);
        expression = source.slice(m.index + m[0].length, end < 0 ? undefined : end);
        expression = [...expression.matchAll(MARKUP)].map((x) => x[0]).join(' ');
      }
      if (eventDataIn(expression, tainted) !== null) {
        tainted.add(name!);
        grew = true;
      }
    }
  }
  return tainted;
}

/**
 * The Liquid markup that can decide a URL's host: everything before the first literal
 * `/`, `?` or `#` after the scheme. In `https://shop.test/p/{{ event.id }}` that is
 * none (the host is fixed); in `{{ event.properties.url }}` or
 * `https://{{ event.sub }}.shop.test/` it is the output.
 */
function hostMarkup(url: string): string[] {
  const markup: string[] = [];
  let literal = '';
  let at = 0;
  for (const m of url.matchAll(MARKUP)) {
    const end = scanLiteral(url.slice(at, m.index));
    if (end) return markup;
    markup.push(m[0]);
    at = m.index + m[0].length;
  }
  scanLiteral(url.slice(at));
  return markup;

  // True once the literal text ends the host part.
  function scanLiteral(text: string): boolean {
    for (const c of text) {
      literal += c;
      if (c !== '/' && c !== '?' && c !== '#') continue;
      // Still inside a leading `https://` or `//` written out literally.
      if (markup.length === 0 && /^\s*(?:[A-Za-z][\w+.-]*:)?\/{1,2}$/.test(literal)) continue;
      return true;
    }
    return false;
  }
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Links whose destination host comes from event data, in an e-mail's HTML (`<a>` and
 * `<area>` hrefs) or a push URL. They are not refused — a template may mean to link to
 * what the event names — but click tracking leaves them untracked unless their host is
 * allowed, and whoever sends events chooses where they lead. `path` is the field
 * (`html`, `nonPersonalized.html`, `pushUrl`…).
 *
 * @example
 * eventUrlWarnings({ html: '<a href="{{ event.properties.url }}">Go</a>' })
 * // [{ path: 'html', problem: 'line 1: an href takes its host from event data (event.properties.url): …' }]
 */
export function eventUrlWarnings(
  fields: { html?: string | undefined; pushUrl?: string | undefined },
  prefix = '',
): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  const consequence =
    'whoever sends events (any write key) chooses where it leads. Click tracking leaves ' +
    'it untracked unless its host is allowed (tracking.allowedHosts); link to a fixed ' +
    'host (https://shop.example.com/p/{{ event.properties.product_id }}) instead';
  if (fields.html !== undefined) {
    const tainted = taintedNames(fields.html);
    for (const token of tokenizeHtml(fields.html)) {
      if (token.kind !== 'start' || (token.name !== 'a' && token.name !== 'area')) continue;
      const href = getAttribute(token, 'href');
      if (!href) continue;
      const from = eventDataIn(hostMarkup(href.value).join(' '), tainted);
      if (from === null) continue;
      warnings.push({
        path: `${prefix}html`,
        problem: `line ${lineOf(fields.html, token.start)}: an href takes its host from event data (${from}): ${consequence}`,
      });
    }
  }
  if (fields.pushUrl !== undefined) {
    const from = eventDataIn(hostMarkup(fields.pushUrl).join(' '), taintedNames(fields.pushUrl));
    if (from !== null) {
      warnings.push({
        path: `${prefix}pushUrl`,
        problem: `takes its host from event data (${from}): whoever sends events (any write key) chooses where the notification leads`,
      });
    }
  }
  return warnings;
}
