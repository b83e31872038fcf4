import {
  escapeAttribute,
  getAttribute,
  tokenizeHtml,
  type HtmlAttribute,
  type HtmlToken,
} from '../html/index.js';
import { hostOf, type HostMatcher } from './allowed-hosts.js';

/** A link found in the HTML and handed to `makeUrl`. */
export interface TrackedLink {
  /** Position among the tracked links, from 0, in document order. */
  index: number;
  /** The destination as the browser reads it: entities decoded, surrounding spaces trimmed. */
  url: string;
}

export interface RewriteOptions {
  /**
   * Destinations never to track, compared after decoding: the unsubscribe and
   * preference-center links (a tracked unsubscribe link would count as engagement and
   * could be followed by link scanners).
   */
  exclude?: readonly string[];
  /** An open pixel appended before `</body>` (or at the end). */
  openPixelUrl?: string;
  /**
   * Which destination hosts may be tracked; links to other hosts are left as they are.
   * A tracked link is a signed redirect on Rapport's domain, so tracking a link whose
   * destination came from event data would let whoever sends events (a write key is
   * public in every browser) make the shop's domain redirect anywhere. Without it every
   * host is tracked: leave it out only for HTML whose every link you wrote.
   */
  allowHost?: HostMatcher;
}

export interface RewriteResult {
  html: string;
  /** The tracked links, by index: what the click events refer to. */
  links: TrackedLink[];
}

/** The attribute that opts a link out of tracking: `<a href="…" data-rapport-no-track>`. */
export const NO_TRACK_ATTRIBUTE = 'data-rapport-no-track';

function isTrackable(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** A link that could be tracked (every rule but `allowHost` applied), or null. */
function candidate(
  token: HtmlToken,
  exclude: ReadonlySet<string>,
): { href: HtmlAttribute; url: string } | null {
  if (token.kind !== 'start' || (token.name !== 'a' && token.name !== 'area')) return null;
  const href = getAttribute(token, 'href');
  if (!href || getAttribute(token, NO_TRACK_ATTRIBUTE)) return null;
  // Browsers strip leading and trailing ASCII whitespace from URL attributes.
  const url = href.value.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
  if (!isTrackable(url) || exclude.has(url)) return null;
  return { href, url };
}

/**
 * The distinct destination hosts of the links `rewriteLinks` could track, for a caller
 * that must look hosts up (asynchronously) before building `allowHost`.
 */
export function linkHosts(html: string, options: Pick<RewriteOptions, 'exclude'> = {}): string[] {
  const exclude = new Set((options.exclude ?? []).map((u) => u.trim()));
  const hosts = new Set<string>();
  for (const token of tokenizeHtml(html)) {
    const host = hostOf(candidate(token, exclude)?.url ?? '');
    if (host !== null) hosts.add(host);
  }
  return [...hosts];
}

/**
 * Rewrites the `href` of every `<a>` and `<area>` to a click-tracking URL and appends an
 * open pixel. Only absolute http(s) links are tracked: `mailto:`, `tel:`, `#anchors`,
 * relative and malformed URLs, the `exclude`d ones and links marked
 * `data-rapport-no-track` are left alone. Every byte outside the rewritten `href`
 * values is kept as it was. The HTML is tokenized (not matched with a pattern), so quoted
 * `>`, single, double and missing quotes, upper-case names, entities (`&amp;`) and
 * links inside comments or `<script>` are handled as a browser would. With `allowHost`,
 * links to other hosts are left as they are. `makeUrl` returns the tracking URL, or
 * `null` to leave a link as it is.
 *
 * @example
 * rewriteLinks('<a href="https://shop.test/?a=1&amp;b=2">Shop</a>', (l) => `https://t.test/c/${l.index}`)
 * // { html: '<a href="https://t.test/c/0">Shop</a>', links: [{ index: 0, url: 'https://shop.test/?a=1&b=2' }] }
 */
export function rewriteLinks(
  html: string,
  makeUrl: (link: TrackedLink) => string | null,
  options: RewriteOptions = {},
): RewriteResult {
  const exclude = new Set((options.exclude ?? []).map((u) => u.trim()));
  const links: TrackedLink[] = [];
  const parts: string[] = [];
  let copied = 0;
  let bodyEnd = -1;
  for (const token of tokenizeHtml(html)) {
    if (token.kind === 'end' && token.name === 'body') bodyEnd = token.start;
    const found = candidate(token, exclude);
    if (!found) continue;
    if (options.allowHost && !options.allowHost(hostOf(found.url) ?? '')) continue;
    const link: TrackedLink = { index: links.length, url: found.url };
    const tracked = makeUrl(link);
    if (tracked === null) continue;
    links.push(link);
    parts.push(html.slice(copied, found.href.valueStart), `"${escapeAttribute(tracked)}"`);
    copied = found.href.valueEnd;
  }
  if (options.openPixelUrl === undefined) {
    parts.push(html.slice(copied));
    return { html: parts.join(''), links };
  }
  const pixel =
    `<img src="${escapeAttribute(options.openPixelUrl)}" width="1" height="1" alt="" ` +
    `style="display:block;width:1px;height:1px;border:0" />`;
  if (bodyEnd >= copied) {
    parts.push(html.slice(copied, bodyEnd), pixel, html.slice(bodyEnd));
  } else {
    parts.push(html.slice(copied), pixel);
  }
  return { html: parts.join(''), links };
}
