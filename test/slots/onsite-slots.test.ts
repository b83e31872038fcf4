// On-site slots end to end (issue #18, item 2): Chromium loads a shop page that uses
// /sdk/rapport.js from a real Rapport app with a catalog, trained recommendations and a
// placement; the slots show the visitor's recommendations and decided offer, and the
// impressions and clicks come back as events stored for that person.
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentityToken } from '../../src/workspaces/identity-token.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { launchChromium, shopPage, trackCounter } from './browser.js';

const VISITOR = 'u-visitor';
const SHOP = 'https://shop.example.com';
const XSS_TITLE = '<img src=x onerror="window.pwned=1">Bad <b>title</b>';

const CATALOG = [
  { id: 'mug', title: 'Blue mug', price: 12.5, currency: 'EUR', image: `${SHOP}/i/mug.png` },
  { id: 'tea', title: 'Green tea', price: 7, currency: 'EUR', image: `${SHOP}/i/tea.png` },
  { id: 'pot', title: 'Tea pot', price: 39.9, currency: 'EUR' },
  { id: 'cup', title: 'Espresso cup', price: 4.25, currency: 'EUR' },
  { id: 'bad', title: XSS_TITLE, price: 1, currency: 'EUR', url: 'javascript:window.pwned=1' },
].map((i) => ({ url: `${SHOP}/p/${i.id}`, ...i }));

type Rec = { itemId: string; title?: string; url?: string; price?: number; currency?: string };
type Logged = { event: string; payload: { properties: Record<string, unknown> } };

describe.each(STORE_KINDS)('on-site slots in Chromium (%s)', (kind) => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let publicKey: string;
  let token: string;
  let posts: ReturnType<typeof trackCounter>;

  beforeAll(async () => {
    browser = await launchChromium();
    t = await createTestApp(kind);
    const upsert = await send(t, 'PUT', '/v1/catalog/items', t.keys.write, { items: CATALOG });
    expect(upsert.statusCode, upsert.body).toBe(200);
    // Shoppers whose orders make everything but the visitor's own purchase popular.
    const orders = [
      ['mug', 'tea', 'bad'],
      ['mug', 'pot', 'bad'],
      ['tea', 'cup', 'bad'],
      ['pot', 'tea', 'mug'],
    ];
    const at = new Date(t.clock.now()).toISOString();
    const batch = orders.map((ids, i) => ({
      type: 'track',
      userId: `shopper-${i}`,
      event: 'Order Completed',
      timestamp: at,
      properties: { order_id: `o-${i}`, products: ids.map((product_id) => ({ product_id })) },
    }));
    batch.push({
      type: 'track',
      userId: VISITOR,
      event: 'Order Completed',
      timestamp: at,
      properties: { order_id: 'o-visitor', products: [{ product_id: 'cup' }] },
    });
    const sent = await send(t, 'POST', '/v1/batch', t.keys.write, { batch });
    expect(sent.statusCode, sent.body).toBe(200);
    await t.ctx.profiles.drain();
    const trained = await send(t, 'POST', '/v1/admin/recommendations/train', t.keys.admin);
    expect(trained.statusCode, trained.body).toBe(200);

    for (const o of [
      {
        id: 'free_ship',
        name: 'Free shipping',
        kind: 'free_shipping',
        content: {
          web: {
            title: 'Free shipping today',
            body: 'On every order over €30',
            url: `${SHOP}/offers/ship`,
            cta: 'Shop now',
          },
        },
      },
      { id: 'nothing', name: 'Nothing', kind: 'no_offer' },
    ]) {
      const res = await send(t, 'POST', '/v1/offers', t.keys.admin, o);
      expect(res.statusCode, res.body).toBe(201);
    }
    const placement = await send(t, 'POST', '/v1/placements', t.keys.admin, {
      name: 'cart_offer',
      candidates: ['free_ship'],
      default: 'nothing',
      policy: { kind: 'fixed' },
    });
    expect(placement.statusCode, placement.body).toBe(201);

    const key = await send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope: 'public' });
    publicKey = key.json<{ key: string }>().key;
    const rotated = await send(t, 'POST', '/v1/admin/identity-secret/rotate', t.keys.admin, {});
    const secret = rotated.json<{ secret: string }>().secret;
    token = signIdentityToken(secret, VISITOR, t.clock.now() + 86_400_000);

    await t.app.listen({ host: '127.0.0.1', port: 0 });
    posts = trackCounter(t.app.server);
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const script = (attrs: string) => `<script src="/sdk/rapport.js" ${attrs}></script>`;
  const visitorScript = () =>
    script(`data-key="${publicKey}" data-user-id="${VISITOR}" data-identity="${token}"`);
  const ready = (page: Page) =>
    page.evaluate(
      () => (globalThis as unknown as { rapport: { ready: Promise<void> } }).rapport.ready,
    );
  const eventsOf = async (event: string) => {
    await t.ctx.profiles.drain();
    const q = new URLSearchParams({ userId: VISITOR, event });
    const res = await send(t, 'GET', `/v1/events?${q.toString()}`, t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ events: Logged[] }>().events;
  };

  it('renders the visitor’s recommendations and offer, and their impressions and clicks come back', async () => {
    const expected = await send(
      t,
      'GET',
      `/v1/recommendations?userId=${VISITOR}&limit=4`,
      t.keys.read,
    );
    const recs = expected.json<{ items: Rec[] }>().items;
    expect(recs.map((r) => r.itemId).sort()).toEqual(['bad', 'mug', 'pot', 'tea']);

    const html = `<!doctype html><html lang="en-US"><head><title>Cart</title></head><body>
      <div id="recs" data-rapport-slot="cart_recs" data-rapport-limit="4"><p>Our picks</p></div>
      <div id="offer" data-rapport-slot="cart_offer" data-rapport-type="offer"><p>Free returns</p></div>
      ${visitorScript()}</body></html>`;
    const { page, log, url } = await shopPage(browser, origin, html);
    const before = posts.count();
    await page.goto(url);
    await ready(page);

    const shown = await page.$$eval('#recs li.rapport-item', (lis) =>
      lis.map((li) => ({
        title: li.querySelector('.rapport-title')?.textContent,
        price: li.querySelector('.rapport-price')?.textContent,
        href: li.querySelector('a')?.getAttribute('href') ?? null,
        image: li.querySelector('img')?.getAttribute('src') ?? null,
      })),
    );
    const euro = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' });
    expect(shown).toEqual(
      recs.map((r) => {
        const item = CATALOG.find((c) => c.id === r.itemId)!;
        return {
          title: item.title,
          price: euro.format(item.price),
          // A javascript: URL is never put on a link.
          href: item.url.startsWith('https:') ? item.url : null,
          image: item.image ?? null,
        };
      }),
    );
    // The hostile title is text: no element was made from it and nothing ran.
    expect(await page.locator('#recs img[src="x"], #recs b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.textContent('#recs')).toContain(XSS_TITLE);

    expect(await page.textContent('#offer .rapport-title')).toBe('Free shipping today');
    expect(await page.textContent('#offer .rapport-body')).toBe('On every order over €30');
    expect(await page.getAttribute('#offer a', 'href')).toBe(`${SHOP}/offers/ship`);
    expect(await page.getAttribute('#recs', 'data-rapport-state')).toBe('filled');
    // Two impressions, then clicks that navigate away: their events still arrive
    // (keepalive), and the page loaded again sends its two impressions.
    await posts.reach(before + 2);
    await page.click('#offer a');
    await posts.reach(before + 3);
    await page.goto(url);
    await ready(page);
    await page.click('#recs li.rapport-item:nth-child(1) a');
    await posts.reach(before + 6);
    expect(log.warnings).toEqual([]);
    expect(log.errors).toEqual([]);
    await page.close();

    const viewed = await eventsOf('Recommendation Viewed');
    expect(viewed.length).toBe(2);
    const clicked = await eventsOf('Product Clicked');
    expect(clicked).toHaveLength(1);
    const click = clicked[0]!.payload.properties;
    expect(click).toMatchObject({ slot: 'cart_recs', product_id: recs[0]!.itemId, position: 1 });
    const impressionIds = viewed.map((e) => e.payload.properties.recommendation_id);
    expect(impressionIds).toContain(click.recommendation_id);
    expect(viewed[0]!.payload.properties.product_ids).toEqual(recs.map((r) => r.itemId));

    const offerViews = await eventsOf('Offer Viewed');
    const offerClicks = await eventsOf('Offer Clicked');
    expect(offerClicks).toHaveLength(1);
    const decisionId = offerClicks[0]!.payload.properties.decision_id as string;
    expect(offerViews.map((e) => e.payload.properties.decision_id)).toContain(decisionId);
    expect(offerClicks[0]!.payload.properties).toMatchObject({
      offer_id: 'free_ship',
      placement: 'cart_offer',
    });
    // The rewards stage saw the click on the decision it names.
    const decision = await t.ctx.store.db
      .selectFrom('decisions')
      .select(['clicked_at', 'offer_id'])
      .where('id', '=', decisionId)
      .executeTakeFirstOrThrow();
    expect(decision.offer_id).toBe('free_ship');
    expect(decision.clicked_at).not.toBeNull();
  }, 90_000);

  it('fills a slot through the page’s own <template>, URLs checked and text as text', async () => {
    const html = `<!doctype html><html lang="en-US"><body>
      <template id="card"><article class="card"><a data-rapport-href="url"><span data-rapport-field="title"></span></a>
        <b data-rapport-field="price"></b><i data-rapport-field="position"></i></article></template>
      <section id="custom" data-rapport-slot="home" data-rapport-strategy="popular" data-rapport-limit="5" data-rapport-template="card">Loading…</section>
      <div id="inner" data-rapport-slot="inner" data-rapport-strategy="popular" data-rapport-limit="2">
        <template><p class="row" data-rapport-field="title"></p></template>Loading…</div>
      ${visitorScript()}</body></html>`;
    const { page, log, url } = await shopPage(browser, origin, html);
    await page.goto(url);
    await ready(page);
    const cards = await page.$$eval('#custom article.card', (els) =>
      els.map((el) => ({
        title: el.querySelector('span')?.textContent,
        href: el.querySelector('a')?.getAttribute('href') ?? null,
        position: el.querySelector('i')?.textContent,
      })),
    );
    const popular = await send(
      t,
      'GET',
      `/v1/recommendations?userId=${VISITOR}&strategy=popular&limit=5`,
      t.keys.read,
    );
    const items = popular.json<{ items: Rec[] }>().items;
    expect(cards.map((c) => c.title)).toEqual(items.map((i) => i.title));
    expect(cards.map((c) => c.position)).toEqual(items.map((_, i) => String(i + 1)));
    const bad = cards.find((c) => c.title === XSS_TITLE)!;
    expect(bad.href).toBeNull();
    expect(await page.locator('#custom img').count()).toBe(0);
    // A template inside the slot itself is used too.
    const rows = await page.$$eval('#inner > p.row', (ps) => ps.map((p) => p.textContent));
    expect(rows).toEqual(items.slice(0, 2).map((i) => i.title));
    expect(log.warnings).toEqual([]);
    expect(log.errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('counts an impression only once the slot comes into view', async () => {
    const html = `<!doctype html><html lang="en-US"><body>
      <div style="height: 5000px">Top of the page</div>
      <div id="below" data-rapport-slot="footer_recs" data-rapport-strategy="popular">Picks</div>
      ${visitorScript()}</body></html>`;
    const { page, log, url } = await shopPage(browser, origin, html);
    const before = posts.count();
    await page.goto(url);
    await ready(page);
    expect(await page.getAttribute('#below', 'data-rapport-state')).toBe('filled');
    // Two frames: the observer has had its first look, and found the slot off screen.
    await page.evaluate(
      () =>
        new Promise((r) => {
          const g = globalThis as unknown as { requestAnimationFrame(f: () => void): void };
          g.requestAnimationFrame(() => g.requestAnimationFrame(() => r(undefined)));
        }),
    );
    await page.evaluate(() =>
      (globalThis as unknown as { rapport: { flush(): Promise<void> } }).rapport.flush(),
    );
    expect(posts.count()).toBe(before);
    await page.locator('#below').scrollIntoViewIfNeeded();
    await posts.reach(before + 1);
    expect(log.warnings).toEqual([]);
    await page.close();
  }, 60_000);
});
