import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/importer/index.js';
import { loadInteractions } from '../../src/recommend/serving/interactions.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const FILE = new URL('../fixtures/profiles/online-retail-customers.csv', import.meta.url).pathname;
const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

describe.each(STORE_KINDS)('recommendations over HTTP (%s)', (kind) => {
  let t: TestApp;
  let bought: Set<string>;
  let trainedOn: number;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: new ManualClock(Date.UTC(2011, 5, 25)) });
    await runImport(
      {
        store: t.ctx.store,
        writer: t.ctx.writer,
        processor: t.ctx.profiles,
        models: t.ctx.models,
        clock: t.clock,
      },
      {
        kind: 'events',
        files: [FILE],
        workspaceId: 'default',
        preset: 'online-retail',
        mapping: new Map(),
        rejectsPath: '/dev/null',
        progress: quiet,
      },
    );
    const trained = await send(t, 'POST', '/v1/admin/recommendations/train', t.keys.admin);
    expect(trained.statusCode, trained.body).toBe(200);
    trainedOn = trained.json<{ interactions: number }>().interactions;
    const events = (
      await send(
        t,
        'GET',
        '/v1/events?userId=13047&event=Order%20Completed&limit=1000',
        t.keys.read,
      )
    ).json<{
      events: { payload: { properties: { products: { product_id: string }[] } } }[];
    }>().events;
    bought = new Set(events.flatMap((e) => e.payload.properties.products.map((p) => p.product_id)));
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });
  const recs = async (query: string) => {
    const res = await send(t, 'GET', `/v1/recommendations?${query}`, t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      items: { itemId: string; title?: string; strategy: string; reason: { text: string } }[];
      personalized: boolean;
      version: number;
    }>();
  };

  it('trains on every interaction in the log, read by the training worker over its own connection', async () => {
    const onMainThread = await loadInteractions(t.ctx.store.db, 'default');
    expect(onMainThread.length).toBeGreaterThan(500);
    expect(trainedOn).toBe(onMainThread.length);
  });

  it('recommends for a known customer, with a strategy and a reason per item, never what they bought', async () => {
    const r = await recs('userId=13047&limit=10');
    expect(r.items).toHaveLength(10);
    expect(r.version).toBe(1);
    for (const item of r.items) {
      expect(item.reason.text.length).toBeGreaterThan(3);
      expect(item.strategy).toMatch(/\w/);
      expect(bought.has(item.itemId)).toBe(false);
    }
  });

  it('falls back to popular items for an anonymous visitor, and answers a product page', async () => {
    const anon = await recs('anonymousId=never-seen&limit=5');
    expect(anon.items).toHaveLength(5);
    expect(new Set(anon.items.map((i) => i.strategy)).size).toBeGreaterThan(0);
    const product = [...bought][0]!;
    const page = await recs(
      `itemId=${encodeURIComponent(product)}&strategy=bought_together,popular&limit=6`,
    );
    expect(page.items).toHaveLength(6);
    expect(page.items.map((i) => i.itemId)).not.toContain(product);
  });

  it('applies exclude rules and serves the non-personalized experience to people who opted out', async () => {
    const first = await recs('userId=13047&limit=5');
    const excluded = first.items.slice(0, 2).map((i) => i.itemId);
    const again = await recs(
      `userId=13047&limit=5&exclude=${excluded.map(encodeURIComponent).join(',')}`,
    );
    for (const id of excluded) expect(again.items.map((i) => i.itemId)).not.toContain(id);

    await send(t, 'PUT', '/v1/profiles/user_id/13047/consent', t.keys.write, {
      personalization: false,
    });
    const plain = await recs('userId=13047&limit=5');
    expect(plain.personalized).toBe(false);
    const popular = await recs('strategy=popular&limit=5');
    expect(plain.items.map((i) => i.itemId)).toEqual(popular.items.map((i) => i.itemId));
  });

  it('fills the recommend blocks of message templates', async () => {
    const preview = await send(t, 'POST', '/v1/templates/welcome_3/preview', t.keys.admin, {
      value: '15291',
    });
    expect(preview.statusCode, preview.body).toBe(200);
    // Popular for her: the block asks for the person, so what she bought is left out.
    const popular = await recs('userId=15291&strategy=popular&limit=4');
    const body = preview.json<{ fields: { html: string }; blocks: unknown[] }>();
    expect(body.blocks).toHaveLength(1);
    // Each as a product card: the name, linked, and the same name as the image's alt text.
    for (const item of popular.items)
      expect(body.fields.html).toContain(
        `>${(item.title ?? item.itemId).replace(/&/g, '&amp;')}</a>`,
      );
    expect(body.fields.html.split('data-product-card')).toHaveLength(popular.items.length + 1);
  });

  it('picks up catalog changes without retraining, and rebuilds only when the catalog changed', async () => {
    const ws = 'default';
    const serving = () => t.ctx.recommendations.registry(ws)?.current();
    await t.ctx.recommendations.refreshCatalogs(0);
    const before = serving();
    // Nothing changed: the serving recommender stays as it is.
    await t.ctx.recommendations.refreshCatalogs(0);
    expect(serving()).toBe(before);

    const top = (await recs('strategy=popular&limit=3')).items[0]!.itemId;
    // Same clock instant as the import's writes: the change must still be seen.
    const put = await send(t, 'PUT', '/v1/catalog/items', t.keys.write, {
      items: [{ id: top, in_stock: false }],
    });
    expect(put.json()).toMatchObject({ updated: 1 });
    await t.ctx.recommendations.refreshCatalogs(0);
    expect(serving()).not.toBe(before);
    expect((await recs('strategy=popular&limit=3')).items.map((i) => i.itemId)).not.toContain(top);

    await send(t, 'PUT', '/v1/catalog/items', t.keys.write, {
      items: [{ id: top, in_stock: true }],
    });
    await t.ctx.recommendations.refreshCatalogs(0);
    expect((await recs('strategy=popular&limit=3')).items[0]!.itemId).toBe(top);
  });

  it('lists how each version was tuned: too few people here, so the defaults and why', async () => {
    const listed = await send(t, 'GET', '/v1/admin/recommendations/versions', t.keys.admin);
    const [v] = listed.json<{
      versions: {
        tuning: { status: string; reason: string; chosen: unknown; defaults: unknown };
      }[];
    }>().versions;
    expect(v!.tuning.status).toBe('skipped');
    expect(v!.tuning.reason).toMatch(/^too little data to validate on: \d+ people/);
    expect(v!.tuning.chosen).toEqual(v!.tuning.defaults);
  });

  it('swaps in a retrained version and rolls back', async () => {
    expect(
      (await send(t, 'POST', '/v1/admin/recommendations/train', t.keys.admin)).json().version,
    ).toBe(2);
    expect((await recs('limit=3')).version).toBe(2);
    const back = await send(t, 'POST', '/v1/admin/recommendations/rollback', t.keys.admin, {});
    expect(back.json()).toEqual({ version: 1 });
    expect((await recs('limit=3')).version).toBe(1);
    const bad = await send(t, 'GET', '/v1/recommendations?limit=0', t.keys.read);
    expect(bad.statusCode).toBe(400);
  });
});
