import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentityToken } from '../../src/workspaces/identity-token.js';
import { basic, createTestApp, NO_RATE_LIMITS, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const umd = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@segment/analytics-next/package.json')),
  'dist',
  'umd',
);

/**
 * The paths Segment's browser and mobile SDKs use, as those SDKs send them: text/plain
 * bodies with the key inside, and the mobile batch route; each goes through the same
 * ingest path as /v1/track and /v1/batch.
 */
describe.each(STORE_KINDS)('Segment SDK routes (%s)', (kind) => {
  let t: TestApp;
  let publicKey: string;
  let identitySecret: string;
  beforeAll(async () => {
    t = await createTestApp(kind, {
      publicUrl: 'https://rapport.example/base/',
      rateLimits: { ...NO_RATE_LIMITS, rateLimitWritePerSecond: 0.001, rateLimitWriteBurst: 200 },
    });
    const created = await send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope: 'public' });
    publicKey = created.json<{ key: string }>().key;
    const rotated = await send(t, 'POST', '/v1/admin/identity-secret/rotate', t.keys.admin, {});
    identitySecret = rotated.json<{ secret: string }>().secret;
  }, 60_000);
  afterAll(() => t.close());

  /** How analytics.js sends: text/plain, the key in the body, no Authorization header. */
  const plain = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'text/plain', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const stored = (messageId: string) =>
    t.ctx.store.db
      .selectFrom('events')
      .select(['type', 'event', 'user_id', 'anonymous_id', 'raw'])
      .where('message_id', '=', messageId)
      .execute();

  it.each([
    ['/v1/t', 'track', { event: 'Product Viewed', properties: { product_id: 'p-1' } }],
    ['/v1/i', 'identify', { traits: { first_name: 'Ada' } }],
    ['/v1/p', 'page', { name: 'Home', properties: { path: '/' } }],
    ['/v1/s', 'screen', { name: 'Cart' }],
    ['/v1/g', 'group', { groupId: 'acme' }],
    ['/v1/a', 'alias', { previousId: 'anon-sdk' }],
  ])(
    '%s records a %s call sent as text/plain with the key in the body',
    async (url, type, extra) => {
      const messageId = `short-${type}`;
      const body = { type, messageId, userId: 'sdk-user', writeKey: t.keys.write, ...extra };
      const res = await plain(url, body);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ success: true, duplicate: false });
      const rows = await stored(messageId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ type, user_id: 'sdk-user' });
      // Stored byte for byte, the key included, as /v1/track stores what it is sent.
      expect(rows[0]!.raw).toBe(JSON.stringify(body));
      // The same message on the long path is the same event.
      const again = await send(t, 'POST', `/v1/${type}`, t.keys.write, body);
      expect(again.json()).toEqual({ success: true, duplicate: true });
    },
  );

  it('takes text/plain with a charset (sendBeacon) and the Basic header analytics-next adds', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: { 'content-type': 'text/plain;charset=UTF-8', authorization: basic(t.keys.write) },
      payload: JSON.stringify({ anonymousId: 'anon-beacon', event: 'Left', messageId: 'beacon' }),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await stored('beacon')).toHaveLength(1);
  });

  it('records a mobile batch on /v1/b and reports a bad element by index', async () => {
    // What analytics-swift and analytics-kotlin post: Basic auth, the key in the body too,
    // events carrying the device, app and OS context.
    const context = {
      app: { name: 'Shop', version: '3.2.0', build: '412' },
      device: { manufacturer: 'Apple', model: 'iPhone15,2', type: 'ios' },
      os: { name: 'iOS', version: '17.1' },
      library: { name: 'analytics-swift', version: '1.5.0' },
    };
    const batch = [
      { type: 'identify', messageId: 'mob-1', userId: 'mobile-1', traits: { plan: 'pro' } },
      { type: 'screen', messageId: 'mob-2', userId: 'mobile-1', name: 'Home' },
      { type: 'track', messageId: 'mob-3', userId: 'mobile-1', event: 'Order Completed' },
      { type: 'track', messageId: 'mob-4', userId: 'mobile-1' },
    ].map((e) => ({ ...e, context, timestamp: '2026-11-01T11:00:00.000Z' }));
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/b',
      headers: { 'content-type': 'application/json', authorization: basic(t.keys.write) },
      payload: JSON.stringify({
        batch,
        sentAt: '2026-11-01T11:00:01.000Z',
        writeKey: t.keys.write,
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ success: false, accepted: 3, duplicates: 0 });
    expect(res.json<{ rejected: unknown[] }>().rejected).toEqual([
      { index: 3, details: [{ path: 'batch.3.event', problem: expect.any(String) as string }] },
    ]);
    for (const id of ['mob-1', 'mob-2', 'mob-3']) expect(await stored(id)).toHaveLength(1);
    // analytics-next's batching mode posts the same shape as text/plain.
    const browser = await plain('/v1/b', {
      writeKey: t.keys.write,
      batch: [{ type: 'page', messageId: 'mob-5', anonymousId: 'anon-b', name: 'Home' }],
    });
    expect(browser.statusCode, browser.body).toBe(200);
    expect(await stored('mob-5')).toHaveLength(1);
  });

  it('answers bad input with a 400, 401 or 413 naming the field, and stores nothing', async () => {
    const count = async () =>
      Number(
        (
          await t.ctx.store.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const detail = (res: { json<T>(): T }) =>
      res.json<{ error: { code: string; details: { path: string }[] } }>().error;

    const noKey = await plain('/v1/t', { anonymousId: 'a', event: 'x' });
    expect(noKey.statusCode).toBe(401);
    expect(detail(noKey).details).toEqual([{ path: 'writeKey', problem: 'missing' }]);
    expect(noKey.body).toContain('writeKey');

    const unknown = await plain('/v1/t', {
      writeKey: 'rk_write_nobody',
      anonymousId: 'a',
      event: 'x',
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toContain('Unknown API key');

    const badJson = await plain('/v1/p', `{"writeKey": "${t.keys.write}", "name": `);
    expect(badJson.statusCode).toBe(400);
    expect(badJson.body).toContain('not valid JSON');

    const empty = await plain('/v1/i', '');
    expect(empty.statusCode).toBe(400);

    const noEvent = await plain('/v1/t', { writeKey: t.keys.write, anonymousId: 'a' });
    expect(noEvent.statusCode).toBe(400);
    expect(detail(noEvent).details.map((d) => d.path)).toContain('event');

    const wrongType = await plain('/v1/t', {
      writeKey: t.keys.write,
      type: 'identify',
      anonymousId: 'a',
    });
    expect(wrongType.statusCode).toBe(400);
    expect(detail(wrongType).details.map((d) => d.path)).toContain('type');

    const noIdentity = await plain('/v1/p', { writeKey: t.keys.write, name: 'Home' });
    expect(noIdentity.statusCode).toBe(400);
    expect(detail(noIdentity).details.map((d) => d.path)).toContain('userId');

    const big = await plain('/v1/t', {
      writeKey: t.keys.write,
      anonymousId: 'a',
      event: 'Big',
      properties: { blob: 'x'.repeat(33 * 1024) },
    });
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('32768 bytes');

    const bigBatch = await plain('/v1/b', {
      writeKey: t.keys.write,
      batch: [
        {
          type: 'track',
          anonymousId: 'a',
          event: 'x',
          properties: { blob: 'x'.repeat(501 * 1024) },
        },
      ],
    });
    expect(bigBatch.statusCode).toBe(413);
    expect(bigBatch.body).toContain('512000 bytes');

    const read = await plain('/v1/t', { writeKey: t.keys.read, anonymousId: 'a', event: 'x' });
    expect(read.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });

  it('holds a public key to its scope rules on the short routes', async () => {
    const as = (url: string, body: Record<string, unknown>, token?: string) =>
      plain(url, { writeKey: publicKey, ...body }, token ? { 'x-rapport-identity': token } : {});
    const anon = await as('/v1/t', { anonymousId: 'anon-pub', event: 'Viewed' });
    expect(anon.statusCode, anon.body).toBe(200);
    const email = await as('/v1/i', {
      anonymousId: 'anon-pub',
      traits: { email: 'x@example.com' },
    });
    expect(email.statusCode).toBe(403);
    expect(email.body).toContain('may not send email');
    const someone = await as('/v1/p', { userId: 'someone', name: 'Home' });
    expect(someone.statusCode).toBe(403);
    expect(someone.body).toContain('identity token');
    const exp = t.clock.now() + 3_600_000;
    const mine = await as(
      '/v1/p',
      { userId: 'me', name: 'Home' },
      signIdentityToken(identitySecret, 'me', exp),
    );
    expect(mine.statusCode, mine.body).toBe(200);
    const two = await as(
      '/v1/b',
      {
        batch: [
          { type: 'track', userId: 'me', event: 'x' },
          { type: 'track', userId: 'other', event: 'x' },
        ],
      },
      signIdentityToken(identitySecret, 'me', exp),
    );
    expect(two.statusCode).toBe(403);
  });

  it('rate-limits the short routes as the key’s write routes', async () => {
    const created = await send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope: 'write' });
    const key = created.json<{ key: string }>().key;
    const statuses: number[] = [];
    for (let i = 0; i < 201; i++) {
      const url = i % 2 === 0 ? '/v1/t' : '/v1/track';
      const res = await plain(url, { writeKey: key, anonymousId: 'flood', event: 'x' });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 200).every((s) => s === 200)).toBe(true);
    expect(statuses[200]).toBe(429);
  });

  it('serves the settings analytics-next loads, pointing it at this server', async () => {
    const get = (key: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url: `/v1/projects/${key}/settings`, headers });
    const res = await get(t.keys.write);
    expect(res.statusCode, res.body).toBe(200);
    const settings = res.json<Record<string, unknown>>();
    expect(settings).toMatchObject({
      integrations: {
        'Segment.io': {
          apiKey: t.keys.write,
          apiHost: 'rapport.example/base/v1',
          protocol: 'https',
          unbundledIntegrations: [],
        },
      },
      plan: { track: { __default: { enabled: true } } },
      metrics: { sampleRate: 0 },
      remotePlugins: [],
    });
    // One destination: nothing loads from or sends to Segment.
    expect(Object.keys(settings.integrations as object)).toEqual(['Segment.io']);
    expect((await get(publicKey)).statusCode).toBe(200);

    const unknown = await get('rk_write_nobody');
    expect(unknown.statusCode).toBe(401);
    const admin = await get(t.keys.admin);
    expect(admin.statusCode).toBe(403);
    expect(admin.body).toContain('must stay on your servers');
    expect((await get(t.keys.read)).statusCode).toBe(403);
    const mismatch = await get(t.keys.write, { authorization: `Bearer ${publicKey}` });
    expect(mismatch.statusCode).toBe(403);
    expect(mismatch.json<{ error: { details: unknown } }>().error.details).toEqual([
      { path: 'writeKey', problem: 'differs from the key in the Authorization header' },
    ]);
  });

  it('serves the analytics-next bundle and its chunks byte for byte', async () => {
    const standalone = readFileSync(path.join(umd, 'standalone.js'));
    const res = await t.app.inject({
      method: 'GET',
      url: `/analytics.js/v1/${t.keys.write}/analytics.min.js`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/javascript');
    expect(res.rawPayload.equals(standalone)).toBe(true);
    const gz = await t.app.inject({
      method: 'GET',
      url: '/analytics.js/v1/any/analytics.min.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(standalone)).toBe(true);

    const chunk = readdirSync(umd).find((f) => /\.bundle\.[0-9a-f]+\.js$/.test(f))!;
    const served = await t.app.inject({ method: 'GET', url: `/analytics-next/bundles/${chunk}` });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(readFileSync(path.join(umd, chunk)))).toBe(true);
    expect(served.headers['cache-control']).toContain('max-age=31536000');
    for (const name of ['index.js', '..%2Fpackage.json', 'standalone.js', 'nope.bundle.00.js']) {
      const miss = await t.app.inject({ method: 'GET', url: `/analytics-next/bundles/${name}` });
      expect(miss.statusCode, name).toBe(404);
    }
  });
});
