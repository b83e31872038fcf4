import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, bearer, createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { countPending } from '../../src/profiles/processor.js';

describe.each(STORE_KINDS)('ingestion over HTTP (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: {
        authorization: basic(t.keys.write),
        'content-type': 'application/json',
        ...headers,
      },
      payload:
        typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
    });
  const rawRows = (messageId: string) =>
    t.ctx.store.db.selectFrom('events').selectAll().where('message_id', '=', messageId).execute();
  const countEvents = async () =>
    Number(
      (
        await t.ctx.store.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it.each([
    [
      'track',
      { userId: 'u-track', event: 'Product Viewed', properties: { sku: 'A1' } },
      'Product Viewed',
    ],
    ['identify', { userId: 'u-id', traits: { email: 'a@example.com' } }, null],
    ['page', { anonymousId: 'anon-page', name: 'Home', properties: { path: '/' } }, 'Home'],
    ['screen', { userId: 'u-screen', name: 'Settings' }, 'Settings'],
    ['group', { userId: 'u-group', groupId: 'acme', traits: { plan: 'pro' } }, null],
    ['alias', { previousId: 'anon-1', userId: 'u-alias' }, null],
  ])('POST /v1/%s stores one normalized event', async (type, body, eventName) => {
    const messageId = `msg-${type}`;
    const res = await post(`/v1/${type}`, { ...body, messageId });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true, duplicate: false });
    const rows = await rawRows(messageId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.type).toBe(type);
    expect(rows[0]!.event).toBe(eventName);
    expect(JSON.parse(rows[0]!.raw)).toEqual({ ...body, messageId });
  });

  it('accepts the write key as a Bearer token too', async () => {
    const res = await post(
      '/v1/track',
      { userId: 'u', event: 'E', messageId: 'bearer-1' },
      { authorization: bearer(t.keys.write) },
    );
    expect(res.statusCode).toBe(200);
  });

  it('acknowledges a replayed messageId and stores it once', async () => {
    const event = { userId: 'u-replay', event: 'Order Completed', messageId: 'replay-1' };
    expect((await post('/v1/track', event)).json()).toEqual({ success: true, duplicate: false });
    expect((await post('/v1/track', event)).json()).toEqual({ success: true, duplicate: true });
    const batch = await post('/v1/batch', { batch: [{ ...event, type: 'track' }] });
    expect(batch.json()).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(await rawRows('replay-1')).toHaveLength(1);
  });

  it('corrects client clock skew with sentAt, as Segment does', async () => {
    const received = t.clock.now();
    // The device clock runs one hour fast: it says it sent at +1h, event happened at +1h-10s.
    const res = await post('/v1/track', {
      userId: 'u-skew',
      event: 'E',
      messageId: 'skew-1',
      timestamp: new Date(received + 3_600_000 - 10_000).toISOString(),
      sentAt: new Date(received + 3_600_000).toISOString(),
    });
    expect(res.statusCode).toBe(200);
    const [row] = await rawRows('skew-1');
    expect(row!.timestamp).toBe(received - 10_000);
    expect(row!.received_at).toBe(received);
  });

  it('keeps a historical timestamp sent without sentAt', async () => {
    const ts = '2011-03-04T10:00:00.000Z';
    await post('/v1/track', { userId: 'u-hist', event: 'E', messageId: 'hist-1', timestamp: ts });
    const [row] = await rawRows('hist-1');
    expect(row!.timestamp).toBe(Date.parse(ts));
  });

  it('generates a messageId when the client sends none', async () => {
    await post('/v1/track', { userId: 'u-nomsg', event: 'No Message Id' });
    const rows = await t.ctx.store.db
      .selectFrom('events')
      .select('message_id')
      .where('event', '=', 'No Message Id')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.message_id).toMatch(/^rapport-[0-9a-f-]{36}$/);
  });

  it('rejects bad single events with 400 naming each field, storing nothing', async () => {
    const before = await countEvents();
    const res = await post('/v1/track', { event: 42, timestamp: 'yesterday' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('invalid_request');
    const paths = body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['event', 'timestamp', 'userId']);
    expect(await countEvents()).toBe(before);
  });

  it.each([
    ['not JSON', '{"userId": "u", "event": ', 'application/json'],
    ['a JSON array', '[1,2,3]', 'application/json'],
    ['an empty body', '', 'application/json'],
  ])('answers %s with a 400 JSON error', async (_name, payload, contentType) => {
    const res = await post('/v1/track', payload, { 'content-type': contentType });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
  });

  it('refuses a track sent to /v1/identify', async () => {
    const res = await post('/v1/identify', { type: 'track', userId: 'u', event: 'E' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      { path: 'type', problem: 'must be "identify" on this endpoint' },
    ]);
  });

  it('stores valid batch events and reports and keeps each invalid one', async () => {
    const res = await post('/v1/batch', {
      batch: [
        { type: 'track', userId: 'b1', event: 'Ok', messageId: 'batch-ok-1' },
        { type: 'track', event: 'No identity', messageId: 'batch-bad-1' },
        { type: 'launch', userId: 'b1' },
        { type: 'identify', anonymousId: 'b-anon', traits: { x: 1 }, messageId: 'batch-ok-2' },
        'not an object',
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ success: false, accepted: 2, duplicates: 0 });
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 4]);
    expect(body.rejected[0].details).toEqual([
      { path: 'batch.1.userId', problem: 'either userId or anonymousId is required' },
    ]);
    expect(await rawRows('batch-ok-1')).toHaveLength(1);
    expect(await rawRows('batch-ok-2')).toHaveLength(1);
    expect(await rawRows('batch-bad-1')).toHaveLength(0);

    const rejected = await t.app.inject({
      method: 'GET',
      url: '/v1/admin/rejected?limit=3',
      headers: { authorization: bearer(t.keys.admin) },
    });
    expect(rejected.statusCode).toBe(200);
    const rows = rejected.json().rejected as { batchIndex: number; raw: string }[];
    expect(rows.map((r) => r.batchIndex)).toEqual([4, 2, 1]);
    expect(rows[2]!.raw).toBe('{"type":"track","event":"No identity","messageId":"batch-bad-1"}');
    expect(rows[0]!.raw).toBe('"not an object"');
  });

  it('answers a batch with no valid event with 400 and still keeps the rejects', async () => {
    const res = await post('/v1/batch', { batch: [{ type: 'track', event: 'x' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().accepted).toBe(0);
  });

  it.each([
    ['missing batch', {}, 'batch'],
    ['batch not an array', { batch: 'x' }, 'batch'],
    ['empty batch', { batch: [] }, 'batch'],
  ])('answers a malformed batch body (%s) with 400', async (_n, payload, path) => {
    const res = await post('/v1/batch', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe(path);
  });

  it('stores unicode, huge numbers, nesting to the limit, __proto__ and SQL-looking strings verbatim', async () => {
    // The event is level 1, properties 2: 30 objects under "deep" reach level 32, the limit.
    let deep = '"bottom"';
    for (let i = 0; i < 30; i++) deep = `{"d":${deep}}`;
    const raw =
      `{"userId":"Robert'); DROP TABLE events;--","event":"Ünïcødé 🎉 ✓","messageId":"weird-1",` +
      `"properties":{"big":123456789012345678901234567890,"tiny":1e-400,"__proto__":{"admin":true},` +
      `"constructor":{"prototype":{"polluted":1}},"sql":"' OR 1=1 --","deep":${deep}}}`;
    const res = await post('/v1/track', raw);
    expect(res.statusCode).toBe(200);
    const [row] = await rawRows('weird-1');
    expect(row!.raw).toBe(raw);
    expect(row!.user_id).toBe("Robert'); DROP TABLE events;--");
    expect(row!.event).toBe('Ünïcødé 🎉 ✓');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(await countEvents()).toBeGreaterThan(1);

    const batchRaw = `{"batch":[ ${raw.replace('weird-1', 'weird-2').replace('{', '{"type":"track",')} ]}`;
    expect((await post('/v1/batch', batchRaw)).statusCode).toBe(200);
    const [row2] = await rawRows('weird-2');
    expect(row2!.raw).toBe(raw.replace('weird-1', 'weird-2').replace('{', '{"type":"track",'));
  });

  it('refuses nesting past the limit and NUL anywhere, naming the path, and the pipeline goes on', async () => {
    const deep = `${'{"a":'.repeat(4200)}1${'}'.repeat(4200)}`;
    const single = await post('/v1/identify', `{"userId":"deep","traits":{"x":${deep}}}`);
    expect(single.statusCode).toBe(400);
    expect(single.json().error.details).toEqual([
      {
        path: `traits.x${'.a'.repeat(30)}`,
        problem: 'nests deeper than 32 levels of objects and arrays',
      },
    ]);
    const nul = await post(
      '/v1/track',
      JSON.stringify({
        userId: 'n',
        event: 'Product Viewed',
        properties: { product_id: 'p\u0000' },
      }),
    );
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.details[0].path).toBe('properties.product_id');

    const batch = await post(
      '/v1/batch',
      `{"batch":[{"type":"identify","userId":"ok-1","messageId":"nest-ok"},` +
        `{"type":"identify","userId":"deep","traits":{"x":${deep}}},` +
        `{"type":"identify","userId":"n","traits":{"email":"a\\u0000b@example.com"}}]}`,
    );
    expect(batch.statusCode).toBe(200);
    expect(batch.json()).toMatchObject({
      accepted: 1,
      rejected: [
        { index: 1, details: [{ path: expect.stringMatching(/^batch\.1\.traits\.x\.a/) }] },
        { index: 2, details: [{ path: 'batch.2.traits.email' }] },
      ],
    });
    expect(await t.ctx.profiles.drain()).toBeGreaterThan(0);
    expect(await countPending(t.ctx.store)).toBe(0);
  });

  it('accepts gzip-compressed bodies', async () => {
    const payload = gzipSync(
      JSON.stringify({
        batch: [{ type: 'track', userId: 'gz', event: 'Zipped', messageId: 'gz-1' }],
      }),
    );
    const res = await post('/v1/batch', payload, { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(200);
    expect(await rawRows('gz-1')).toHaveLength(1);
  });

  it('answers 413 beyond 500 KB per request and 32 KB per event', async () => {
    const big = 'x'.repeat(600 * 1024);
    const res = await post('/v1/batch', {
      batch: [{ type: 'track', userId: 'u', event: 'E', properties: { big } }],
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');

    const single = await post('/v1/track', {
      userId: 'u',
      event: 'E',
      properties: { big: 'x'.repeat(40_000) },
    });
    expect(single.statusCode).toBe(413);

    // A gzip body that inflates past the limit is refused too.
    const bomb = gzipSync(
      JSON.stringify({
        batch: [{ type: 'track', userId: 'u', event: 'E', p: 'y'.repeat(2_000_000) }],
      }),
    );
    const zipped = await post('/v1/batch', bomb, { 'content-encoding': 'gzip' });
    expect(zipped.statusCode).toBe(413);

    const inBatch = await post('/v1/batch', {
      batch: [
        { type: 'track', userId: 'u', event: 'Fat', properties: { big: 'x'.repeat(40_000) } },
        { type: 'track', userId: 'u', event: 'Thin', messageId: 'thin-1' },
      ],
    });
    expect(inBatch.statusCode).toBe(200);
    expect(inBatch.json().rejected[0]).toMatchObject({
      index: 0,
      details: [{ path: 'batch.0', problem: 'event is larger than 32768 bytes' }],
    });
  });

  it.each([
    ['no key', undefined, 401],
    ['an unknown key', 'rk_write_nope', 401],
    ['a read key', 'READ', 403],
  ])('answers ingestion with %s with a JSON %s', async (_n, key, status) => {
    const authorization = key === undefined ? undefined : basic(key === 'READ' ? t.keys.read : key);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      payload: JSON.stringify({ userId: 'u', event: 'E' }),
    });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
  });

  it('accepts the write key inside the batch body, as Segment does', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        writeKey: t.keys.write,
        batch: [{ type: 'track', userId: 'u', event: 'E', messageId: 'bodykey-1' }],
      }),
    });
    expect(res.statusCode).toBe(200);
  });
});
