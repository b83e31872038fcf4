import { escapeAttribute, getAttribute, tokenizeHtml } from '../html/index.js';

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

/**
 * Rewrites the `href` of every `<a>` and `<area>` to a click-tracking URL and appends an
 * open pixel. Only absolute http(s) links are tracked: `mailto:`, `tel:`, `#anchors`,
 * relative and malformed URLs, the `exclude`d ones and links marked
 * `data-rapport-no-track` are left alone. Every byte outside the rewritten `href`
 * values is kept as it was. The HTML is tokenized (not matched with a pattern), so quoted
 * `>`, single, double and missing quotes, upper-case names, entities (`&amp;`) and
 * links inside comments or `<script>` are handled as a browser would. `makeUrl` returns
 * the tracking URL, or `null` to leave a link as it is.
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
    if (token.kind !== 'start' || (token.name !== 'a' && token.name !== 'area')) continue;
    const href = getAttribute(token, 'href');
    if (!href || getAttribute(token, NO_TRACK_ATTRIBUTE)) continue;
    // Browsers strip leading and trailing ASCII whitespace from URL attributes.
    const url = href.value.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '');
    if (!isTrackable(url) || exclude.has(url)) continue;
    const link: TrackedLink = { index: links.length, url };
    const tracked = makeUrl(link);
    if (tracked === null) continue;
    links.push(link);
    parts.push(html.slice(copied, href.valueStart), `"${escapeAttribute(tracked)}"`);
    copied = href.valueEnd;
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
