import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('GET /v1/events (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const batch = [];
    for (let i = 0; i < 25; i++) {
      batch.push({
        type: i % 5 === 0 ? 'identify' : 'track',
        userId: i % 2 === 0 ? 'alice' : 'bob',
        ...(i % 5 === 0 ? {} : { event: i % 3 === 0 ? 'Order Completed' : 'Product Viewed' }),
        messageId: `m-${i}`,
      });
    }
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { authorization: basic(t.keys.write), 'content-type': 'application/json' },
      payload: JSON.stringify({ batch }),
    });
    expect(res.json()).toMatchObject({ accepted: 25 });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (query: string, key = t.keys.read) =>
    t.app.inject({
      method: 'GET',
      url: `/v1/events?${query}`,
      headers: { authorization: bearer(key) },
    });

  it('pages newest first with a cursor, visiting every event once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page: { events: { messageId: string }[]; nextCursor: string | null } = res.json();
      seen.push(...page.events.map((e) => e.messageId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `m-${24 - i}`));
  });

  it('filters by userId, type, event and messageId', async () => {
    const alice = (await get('userId=alice&limit=100')).json().events as { userId: string }[];
    expect(alice).toHaveLength(13);
    expect(alice.every((e) => e.userId === 'alice')).toBe(true);
    expect((await get('type=identify')).json().events).toHaveLength(5);
    const orders = (await get('event=Order%20Completed')).json().events as { messageId: string }[];
    expect(orders.map((e) => e.messageId)).toEqual([
      'm-24',
      'm-21',
      'm-18',
      'm-12',
      'm-9',
      'm-6',
      'm-3',
    ]);
    const one = (await get('messageId=m-7')).json().events;
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ type: 'track', userId: 'bob', event: 'Product Viewed' });
  });

  it('answers bad query values with 400 naming the parameter', async () => {
    const res = await get('limit=0&type=nope&cursor=abc');
    expect(res.statusCode).toBe(400);
    const paths = res
      .json()
      .error.details.map((d: { path: string }) => d.path)
      .sort();
    expect(paths).toEqual(['query.cursor', 'query.limit', 'query.type']);
  });

  it('needs a read key: a write key gets 403', async () => {
    expect((await get('', t.keys.write)).statusCode).toBe(403);
    expect((await get('', t.keys.admin)).statusCode).toBe(200);
  });
});
