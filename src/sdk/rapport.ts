// Rapport on-site slots: served as /sdk/rapport.js, compiled by tsc into one classic
// script with no imports (docs/onsite-slots.md). It fills `[data-rapport-slot]` elements with
// recommendations or a decided offer and sends their impressions and clicks back as
// events. Data from the API is only ever set as text or as checked http(s) URLs, never as
// HTML, and any failure leaves the element's own content (the fallback) in place.
(() => {
  type Text<K extends string> = Partial<Record<K, string>>;
  type RecItem = Text<'title' | 'currency' | 'url' | 'image'> & {
    itemId: string;
    strategy: string;
    price?: number;
    reason?: { text?: string };
  };
  type Content = Text<'title' | 'body' | 'image' | 'url' | 'cta'>;
  interface Offer {
    id: string;
    name: string;
    kind: string;
    version: number;
    code: string | null;
    content: Record<string, Content | undefined>;
  }
  type Fields = Record<string, string | undefined>;
  type Props = Record<string, unknown>;

  const script = document.currentScript;
  const attr = (name: string) => script?.getAttribute(name)?.trim() ?? '';
  const key = attr('data-key');
  // Where the API is: data-api (a base URL, a path prefix kept), else where the script is.
  const src = script instanceof HTMLScriptElement && script.src ? script.src : location.href;
  const api = (attr('data-api') || new URL(src, location.href).origin).replace(/\/+$/, '');
  const userId = attr('data-user-id');
  const token = attr('data-identity');
  const locale = attr('data-locale') || document.documentElement.lang || navigator.language;
  const timeoutMs = Number(attr('data-timeout')) || 5000;
  const pending = new Set<Promise<unknown>>();
  const warn = (message: string) => console.warn(`Rapport: ${message}`);

  const randomId = (prefix: string) => {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  /** Analytics.js's visitor id when the page runs it, so both speak for one profile. */
  const anonymousId = (() => {
    const given = attr('data-anonymous-id');
    if (given) return given;
    // analytics.js keeps it JSON-encoded ("\"id\""), in localStorage and a cookie.
    const parse = (raw: string | null | undefined) => {
      try {
        const v: unknown = raw ? JSON.parse(raw) : '';
        return typeof v === 'string' ? v : '';
      } catch {
        return raw ?? '';
      }
    };
    try {
      const cookie = /(?:^|; )ajs_anonymous_id=([^;]*)/.exec(document.cookie)?.[1];
      const found =
        parse(localStorage.getItem('ajs_anonymous_id')) ||
        parse(cookie ? decodeURIComponent(cookie) : '') ||
        localStorage.getItem('rapport_anonymous_id');
      if (found) return found;
      const made = randomId('anon-');
      localStorage.setItem('rapport_anonymous_id', made);
      return made;
    } catch {
      return randomId('anon-');
    }
  })();

  /** Only http(s) links and images; `javascript:`, `data:` and the rest are dropped. */
  const safeUrl = (value: unknown): string | null => {
    if (typeof value !== 'string' || value === '') return null;
    try {
      const url = new URL(value, location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  };

  const money = (price: number | undefined, currency: string | undefined) => {
    if (price === undefined) return undefined;
    try {
      return new Intl.NumberFormat(
        locale,
        currency ? { style: 'currency', currency } : { minimumFractionDigits: 2 },
      ).format(price);
    } catch {
      return String(price);
    }
  };

  async function call(method: string, path: string, body?: unknown, keepalive = false) {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (userId && token) headers['x-rapport-identity'] = token;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const res = await fetch(api + path, {
        method,
        headers,
        credentials: 'omit',
        keepalive,
        signal: abort.signal,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const error = (json as { error?: { message?: unknown } } | null)?.error;
        const message = typeof error?.message === 'string' ? error.message : res.statusText;
        throw new Error(`${method} ${path} answered ${res.status}: ${message}`);
      }
      return json;
    } catch (error) {
      if (abort.signal.aborted)
        throw new Error(`${method} ${path} timed out after ${timeoutMs} ms`, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends one event through the public ingest route; a failure is logged, never thrown. */
  function track(event: string, properties: Props) {
    const body = {
      type: 'track',
      event,
      properties,
      ...(userId ? { userId } : {}),
      anonymousId,
      messageId: randomId('rjs-'),
      context: {
        library: { name: 'rapport.js', version: '1' },
        page: { url: location.href, path: location.pathname, title: document.title },
      },
    };
    // keepalive: a click that navigates away must still deliver its event.
    const sent = call('POST', '/v1/track', body, true).catch((error: unknown) => {
      warn(`could not send ${event}: ${String(error instanceof Error ? error.message : error)}`);
    });
    pending.add(sent);
    void sent.finally(() => pending.delete(sent));
  }

  /** Runs `then` once the element is on screen (at once where that cannot be observed). */
  function whenSeen(el: Element, then: () => void) {
    if (typeof IntersectionObserver !== 'function') return then();
    const io = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      io.disconnect();
      then();
    });
    io.observe(el);
  }

  /** Fills a clone of the template: text by `data-rapport-field`, URLs by `-href`/`-src`. */
  function bind(root: DocumentFragment, fields: Fields) {
    const each = (selector: string, fn: (el: Element, value: string | undefined) => void) => {
      for (const el of root.querySelectorAll(`[data-${selector}]`))
        fn(el, fields[el.getAttribute(`data-${selector}`) ?? '']);
    };
    each('rapport-field', (el, value) => {
      el.textContent = value ?? '';
    });
    each('rapport-href', (el, value) => {
      const url = safeUrl(value);
      if (url) el.setAttribute('href', url);
      else el.removeAttribute('href');
    });
    each('rapport-src', (el, value) => {
      const url = safeUrl(value);
      if (url) el.setAttribute('src', url);
      else el.remove();
    });
    each('rapport-alt', (el, value) => {
      el.setAttribute('alt', value ?? '');
    });
  }

  /** The built-in template: a link around an image, a title and a price (or a body). */
  function defaultTemplate(kind: 'item' | 'offer'): DocumentFragment {
    const fragment = document.createDocumentFragment();
    const box = document.createElement(kind === 'item' ? 'li' : 'div');
    box.className = `rapport-${kind}`;
    const link = document.createElement('a');
    link.setAttribute('data-rapport-href', 'url');
    const img = document.createElement('img');
    img.setAttribute('data-rapport-src', 'image');
    img.setAttribute('data-rapport-alt', 'title');
    img.loading = 'lazy';
    link.append(img);
    const parts = kind === 'item' ? ['title', 'price'] : ['title', 'body', 'code', 'cta'];
    for (const part of parts) {
      const span = document.createElement('span');
      span.className = `rapport-${part}`;
      span.setAttribute('data-rapport-field', part);
      link.append(span);
    }
    box.append(link);
    fragment.append(box);
    return fragment;
  }

  function templateOf(slot: HTMLElement, kind: 'item' | 'offer'): () => DocumentFragment {
    const id = slot.dataset.rapportTemplate;
    const found = id ? document.getElementById(id) : slot.querySelector(':scope > template');
    if (id && !(found instanceof HTMLTemplateElement))
      throw new Error(`no <template id="${id}"> in the page`);
    return found instanceof HTMLTemplateElement
      ? () => found.content.cloneNode(true) as DocumentFragment
      : () => defaultTemplate(kind);
  }

  /** Each top-level element of a filled clone is marked with its position. */
  function render(make: () => DocumentFragment, fields: Fields, index: number) {
    const fragment = make();
    bind(fragment, fields);
    for (const el of fragment.children) el.setAttribute('data-rapport-index', String(index));
    return fragment;
  }

  /** Clicks anywhere inside an item, counted once each per fill. */
  function onItemClick(slot: HTMLElement, handler: (index: number) => void) {
    const clicked = new Set<number>();
    slot.addEventListener('click', (event) => {
      const target = event.target instanceof Element ? event.target : null;
      const index = Number(
        target?.closest('[data-rapport-index]')?.getAttribute('data-rapport-index'),
      );
      if (!Number.isInteger(index) || clicked.has(index)) return;
      clicked.add(index);
      handler(index);
    });
  }

  async function fillRecommendations(slot: HTMLElement, name: string): Promise<boolean> {
    const d = slot.dataset;
    const make = templateOf(slot, 'item');
    const query = new URLSearchParams({ limit: d.rapportLimit ?? '4' });
    if (userId) query.set('userId', userId);
    else query.set('anonymousId', anonymousId);
    const params: [string, string | undefined][] = [
      ['strategy', d.rapportStrategy],
      ['itemId', d.rapportItem],
      ['category', d.rapportCategory],
      ['cart', d.rapportCart],
      ['exclude', d.rapportExclude],
    ];
    for (const [k, v] of params) if (v) query.set(k, v);
    const answer = (await call('GET', `/v1/recommendations?${query.toString()}`)) as {
      items?: RecItem[];
    } | null;
    const items = Array.isArray(answer?.items) ? answer.items : [];
    if (items.length === 0) return false;
    const recommendationId = randomId('rec_');
    const fragment = document.createDocumentFragment();
    const wrap = d.rapportTemplate || slot.querySelector(':scope > template') ? fragment : null;
    const ul = document.createElement('ul');
    ul.className = 'rapport-items';
    items.forEach((item, i) => {
      const fields: Fields = {
        id: item.itemId,
        title: item.title ?? item.itemId,
        price: money(item.price, item.currency),
        url: item.url,
        image: item.image,
        reason: item.reason?.text,
        strategy: item.strategy,
        position: String(i + 1),
      };
      (wrap ?? ul).append(render(make, fields, i));
    });
    if (!wrap) fragment.append(ul);
    slot.replaceChildren(fragment);
    const common = { slot: name, list_id: name, recommendation_id: recommendationId };
    const strategy = d.rapportStrategy ?? 'auto';
    const shown = items.map((x, i) => ({
      product_id: x.itemId,
      position: i + 1,
      strategy: x.strategy,
    }));
    whenSeen(slot, () =>
      track('Recommendation Viewed', {
        ...common,
        strategy,
        items: shown,
        product_ids: shown.map((x) => x.product_id),
      }),
    );
    onItemClick(slot, (i) => track('Product Clicked', { ...common, ...shown[i] }));
    return true;
  }

  async function fillOffer(slot: HTMLElement, name: string): Promise<boolean> {
    const d = slot.dataset;
    const make = templateOf(slot, 'offer');
    const placement = d.rapportPlacement || name;
    let context: unknown = {};
    if (d.rapportContext) {
      try {
        context = JSON.parse(d.rapportContext);
      } catch (error) {
        throw new Error('data-rapport-context is not JSON', { cause: error });
      }
    }
    const decided = (await call('POST', '/v1/decide', {
      placement,
      ...(userId ? { userId } : { anonymousId }),
      channel: 'web',
      context,
    })) as { decisionId: string; offer: Offer | null };
    const offer = decided.offer;
    if (!offer || offer.kind === 'no_offer') return false;
    const web = offer.content.web;
    if (!web) throw new Error(`offer "${offer.id}" has no web content`);
    const fields: Fields = {
      id: offer.id,
      name: offer.name,
      title: web.title ?? offer.name,
      body: web.body,
      cta: web.cta,
      url: web.url,
      image: web.image,
      code: offer.code ?? undefined,
    };
    slot.replaceChildren(render(make, fields, 0));
    const common = {
      slot: name,
      placement,
      decision_id: decided.decisionId,
      offer_id: offer.id,
      offer_version: offer.version,
    };
    whenSeen(slot, () => track('Offer Viewed', common));
    onItemClick(slot, () => track('Offer Clicked', common));
    return true;
  }

  let keyWarned = false;

  /** Fills every slot under `root` not filled yet; resolves when all have settled. */
  async function fill(root: ParentNode = document): Promise<void> {
    const slots = Array.from(root.querySelectorAll<HTMLElement>('[data-rapport-slot]')).filter(
      (el) => !el.dataset.rapportState,
    );
    if (slots.length === 0) return;
    if (!key) {
      for (const slot of slots) slot.dataset.rapportState = 'fallback';
      if (!keyWarned)
        warn('no data-key on the <script> tag (a rk_public_ key): slots keep their content.');
      keyWarned = true;
      return;
    }
    await Promise.all(
      slots.map(async (slot) => {
        const name = slot.dataset.rapportSlot ?? '';
        slot.dataset.rapportState = 'loading';
        try {
          if (!name) throw new Error('data-rapport-slot is empty');
          const type = slot.dataset.rapportType ?? 'recommendations';
          if (type !== 'recommendations' && type !== 'offer')
            throw new Error(`data-rapport-type "${type}" is not recommendations or offer`);
          const filled = await (type === 'offer' ? fillOffer : fillRecommendations)(slot, name);
          slot.dataset.rapportState = filled ? 'filled' : 'empty';
        } catch (error) {
          slot.dataset.rapportState = 'fallback';
          warn(
            `slot "${name}" keeps its fallback content: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }),
    );
  }

  const start = () => fill().catch(() => undefined);
  const ready =
    document.readyState === 'loading'
      ? new Promise<void>((resolve) => {
          document.addEventListener('DOMContentLoaded', () => {
            void start().then(resolve);
          });
        })
      : start();

  // Cast: the page's global object gains one property, the script's small public API.
  (window as unknown as { rapport: unknown }).rapport = {
    fill: (root?: ParentNode) => fill(root).catch(() => undefined),
    ready,
    /** Resolves once every event sent so far has been answered. */
    flush: () => Promise.all([...pending]).then(() => undefined),
    anonymousId,
  };
})();
