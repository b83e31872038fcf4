import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

const HOUR = 3_600_000;

interface Entry {
  id: string;
  at: string;
  kind: string;
  summary: string;
  causeId: string | null;
  refs: Record<string, unknown>;
  detail: Record<string, unknown>;
}

describe.each(STORE_KINDS)('recommendations in the trace (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeEach(async () => {
    smtp = await startSmtp();
    clock = new ManualClock(Date.UTC(2026, 4, 12, 9, 0));
    t = await createTestApp(kind, {
      clock,
      smtpUrl: smtp.url,
      publicUrl: 'https://shop.example.com/rapport',
    });
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com', fromName: 'Shop' },
    });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      const a = await t.ctx.profiles.drain();
      const b = await t.ctx.journeys.runDueTimers();
      const c = await t.ctx.outbox.step();
      if (a === 0 && !b && !c) return;
    }
  };
  let n = 0;
  const post = (path: string, body: Record<string, unknown>) =>
    send(t, 'POST', path, t.keys.write, {
      messageId: `x${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
      ...body,
    });
  const trace = async (user: string) => {
    const res = await send(t, 'GET', `/v1/profiles/user_id/${user}/trace`, t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().entries as Entry[];
  };

  it('tells a cart reminder from the event to the click, the recommendations in it with their reasons', async () => {
    const items = [
      { id: 'p1', title: 'Linen shirt', price: 49 },
      { id: 'p2', title: 'Linen trousers', price: 69 },
      { id: 'p3', title: 'Straw hat', price: 25 },
    ];
    expect((await send(t, 'PUT', '/v1/catalog/items', t.keys.admin, { items })).statusCode).toBe(
      200,
    );
    // Other shoppers buy the shirt with the trousers: what "bought together" learns from.
    for (let i = 0; i < 6; i++)
      await post('/v1/track', {
        userId: `buyer${i}`,
        event: 'Order Completed',
        properties: {
          order_id: `o${i}`,
          products: [{ product_id: 'p1' }, { product_id: i < 4 ? 'p2' : 'p3' }],
        },
      });
    await post('/v1/identify', {
      userId: 'ada',
      traits: { first_name: 'Ada', email: 'ada@example.com', email_opt_in: true },
    });
    await settle();
    await t.ctx.recommendations.train('default');

    const tpl = await send(t, 'POST', '/v1/templates', t.keys.admin, {
      id: 'cart-recs',
      name: 'Cart reminder with recommendations',
      channel: 'email',
      subject: 'Your cart',
      html: '<p>Goes well with your shirt:</p><ul>{% recommend strategy: "bought_together", limit: 2, item_id: "p1" %}<li>{{ item.title }}</li>{% endrecommend %}</ul><a href="https://shop.example.com/cart">Back to your cart</a>',
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    const seg = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Cart starters',
      definition: {
        all: [
          { event: 'Product Added', within: 'P1D' },
          { not: { event: 'Order Completed', within: 'P1D' } },
        ],
      },
    });
    expect(seg.statusCode, seg.body).toBe(201);
    const segmentId = seg.json().id as string;
    while (await t.ctx.segments.backfillStep());
    const j = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Cart reminder',
        trigger: { type: 'segment', segmentId },
        start: 'wait',
        steps: [
          { id: 'wait', type: 'wait', duration: 'PT1H', next: 'send_reminder' },
          {
            id: 'send_reminder',
            type: 'send',
            channel: 'email',
            topic: 'cart',
            message: { templateId: 'cart-recs' },
            next: 'done',
          },
          { id: 'done', type: 'exit' },
        ],
      },
    });
    expect(j.statusCode, j.body).toBe(201);
    const journeyId = j.json().id as string;

    clock.advance(60_000);
    await post('/v1/track', {
      userId: 'ada',
      event: 'Product Added',
      properties: { cart_id: 'cart-1', product_id: 'p1', price: 49 },
    });
    await settle();
    clock.advance(HOUR);
    await settle();
    expect(smtp.mails).toHaveLength(1);
    const html = String(smtp.mails[0]!.html);
    expect(html).toContain('<li>Linen trousers</li>');
    const click = /href="https:\/\/shop\.example\.com\/rapport(\/t\/c\/[^"]+)"/.exec(html)?.[1];
    expect(click, html).toBeDefined();
    clock.advance(5 * 60_000);
    expect((await t.app.inject({ method: 'GET', url: click! })).statusCode).toBe(302);
    await settle();

    const entries = await trace('ada');
    const byId = new Map(entries.map((e) => [e.id, e]));
    if (process.env.TRACE_DUMP) console.log(JSON.stringify(entries, null, 1));
    entries.forEach((e, i) => {
      if (e.causeId) expect(entries.findIndex((x) => x.id === e.causeId)).toBeLessThan(i);
    });
    const chainOf = (e: Entry | undefined) => {
      const chain: Entry[] = [];
      for (; e; e = e.causeId ? byId.get(e.causeId) : undefined) chain.unshift(e);
      return chain;
    };

    // Walk back from the click: message, steps, enrollment, segment entry, the event.
    const engagement = entries.find((e) => e.kind === 'engagement')!;
    expect(engagement.summary).toMatch(/clicked the email message/);
    const chain = chainOf(engagement);
    expect(chain.map((e) => e.kind)).toEqual([
      'event',
      'segment_entered',
      'journey_entered',
      ...chain.slice(3, -2).map(() => 'journey_step'),
      'message',
      'engagement',
    ]);
    expect(chain[0]!.summary).toBe('Did "Product Added".');
    expect(chain[1]!.refs).toMatchObject({ segmentId });
    expect(chain[2]!.refs).toMatchObject({ journeyId });
    const message = chain.at(-2)!;

    // The message's own entries, in order: the consent check, the send, the
    // recommendations it showed with their reasons, then the click.
    const ofMessage = entries.filter((e) => e.causeId === message.id && e.kind !== 'event');
    expect(ofMessage.map((e) => e.kind)).toEqual([
      'message_status',
      'consent_check',
      'message_status',
      'recommendation',
      'engagement',
    ]);
    expect(ofMessage[1]).toMatchObject({
      summary:
        'Consent checked before sending: the person may receive email on topic "cart", and no suppression applies.',
      detail: { outcome: 'allowed' },
    });
    const recs = ofMessage[3]!;
    expect(recs.refs).toMatchObject({ messageId: message.refs.messageId, journeyId });
    expect(recs.detail.items).toEqual([
      {
        itemId: 'p2',
        title: 'Linen trousers',
        strategy: 'bought_together',
        reason: 'Often bought with Linen shirt',
        reasonCode: 'bought_together',
      },
      {
        itemId: 'p3',
        title: 'Straw hat',
        strategy: 'bought_together',
        reason: 'Often bought with Linen shirt',
        reasonCode: 'bought_together',
      },
    ]);
    expect(recs.summary).toBe(
      'The message recommended "Linen trousers" (Often bought with Linen shirt), "Straw hat" (Often bought with Linen shirt), asked for "bought_together".',
    );
  });

  it('records recommendations served over HTTP to an identified person, erased and exported with them', async () => {
    await send(t, 'PUT', '/v1/catalog/items', t.keys.admin, {
      items: [
        { id: 'p1', title: 'Linen shirt' },
        { id: 'p2', title: 'Linen trousers' },
      ],
    });
    await post('/v1/track', {
      userId: 'bo',
      event: 'Product Viewed',
      properties: { product_id: 'p1' },
    });
    await post('/v1/track', {
      userId: 'cy',
      event: 'Product Viewed',
      properties: { product_id: 'p2' },
    });
    await settle();
    await t.ctx.recommendations.train('default');
    clock.advance(60_000);
    const r = await send(
      t,
      'GET',
      '/v1/recommendations?userId=bo&strategy=popular&limit=2',
      t.keys.read,
    );
    expect(r.statusCode, r.body).toBe(200);
    // Anonymous requests (no person) record nothing.
    expect((await send(t, 'GET', '/v1/recommendations?limit=2', t.keys.read)).statusCode).toBe(200);
    const shown = (await trace('bo')).filter((e) => e.kind === 'recommendation');
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      causeId: null,
      at: new Date(clock.now()).toISOString(),
      detail: { source: 'api', request: { strategy: 'popular', personalized: true, limit: 2 } },
    });
    const served = r
      .json()
      .items.map((i: { itemId: string; strategy: string; reason: { text: string } }) => [
        i.itemId,
        i.strategy,
        i.reason.text,
      ]);
    expect(
      (shown[0]!.detail.items as { itemId: string; strategy: string; reason: string }[]).map(
        (i) => [i.itemId, i.strategy, i.reason],
      ),
    ).toEqual(served);
    expect(served.length).toBe(2);
    expect(
      await t.ctx.store.db.selectFrom('recommendation_exposures').selectAll().execute(),
    ).toHaveLength(1);

    const exported = await send(t, 'GET', '/v1/profiles/user_id/bo/export', t.keys.admin);
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.json().recommendationsShown).toHaveLength(1);
    const erased = await send(t, 'DELETE', '/v1/profiles/user_id/bo', t.keys.admin);
    expect(erased.statusCode, erased.body).toBe(202);
    while (await t.ctx.erasure.step());
    expect(
      await t.ctx.store.db.selectFrom('recommendation_exposures').selectAll().execute(),
    ).toEqual([]);
  });

  it("records nothing for the dashboard's preview, which a public key may not ask for", async () => {
    await send(t, 'PUT', '/v1/catalog/items', t.keys.admin, {
      items: [
        { id: 'p1', title: 'Linen shirt' },
        { id: 'p2', title: 'Linen trousers' },
      ],
    });
    for (const [user, item] of [
      ['bo', 'p1'],
      ['cy', 'p2'],
    ] as const)
      await post('/v1/track', {
        userId: user,
        event: 'Product Viewed',
        properties: { product_id: item },
      });
    await settle();
    await t.ctx.recommendations.train('default');
    const url = '/v1/recommendations?userId=bo&strategy=popular&limit=2';
    const previewed = await send(t, 'GET', `${url}&preview=true`, t.keys.read);
    expect(previewed.statusCode, previewed.body).toBe(200);
    const served = await send(t, 'GET', url, t.keys.read);
    expect(previewed.json().items).toEqual(served.json().items);
    // Only the real request is in the trace (written off the request path: flushed here).
    await t.ctx.exposures.flush();
    expect(
      await t.ctx.store.db.selectFrom('recommendation_exposures').selectAll().execute(),
    ).toHaveLength(1);
    const bad = await send(t, 'GET', `${url}&preview=yes`, t.keys.read);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('preview');
    const key = await send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope: 'public' });
    const refused = await send(
      t,
      'GET',
      '/v1/recommendations?anonymousId=a-1&preview=true',
      key.json<{ key: string }>().key,
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('preview');
  });
});
