import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, PLATFORM_KEY, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const SHOP = 'https://shop.example';
const OTHER = 'https://other.example';
const BRAVO_SITE = 'https://bravo.example';

/** Log lines the app writes, parsed, for asserting on its warnings. */
function capturingLogger() {
  const lines: { level: number; msg: string; origin?: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as { level: number; msg: string; origin?: string });
      }
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

/**
 * CORS on the browser routes: strict by default, per workspace once origins are listed.
 * (The real browser run is test/ingest/analytics-next-browser.test.ts.)
 */
describe.each(STORE_KINDS)('CORS for web pages (%s)', (kind) => {
  let t: TestApp;
  let log: ReturnType<typeof capturingLogger>;
  let bravo: { admin: string; write: string };
  const clock = new ManualClock(Date.UTC(2026, 10, 1, 12));
  /** Preflight answers are cached for 5 s per process (they carry no key to rate-limit). */
  const afterPreflightCache = () => clock.advance(5_000);
  beforeAll(async () => {
    log = capturingLogger();
    t = await createTestApp(kind, { logger: log.logger, platform: true, clock });
    const created = await send(t, 'POST', '/v1/admin/workspaces', PLATFORM_KEY, {
      id: 'bravo',
      name: 'Bravo',
    });
    const admin = created.json<{ adminKey: string }>().adminKey;
    const key = await send(t, 'POST', '/v1/admin/keys', admin, { scope: 'write' });
    bravo = { admin, write: key.json<{ key: string }>().key };
  }, 60_000);
  afterAll(() => t.close());

  const preflight = (origin: string | undefined, url = '/v1/t') =>
    t.app.inject({
      method: 'OPTIONS',
      url,
      headers: {
        ...(origin ? { origin } : {}),
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
  /** A simple request: text/plain, key in the body, no header that needs a preflight. */
  const simple = (origin: string | undefined, key: string, messageId: string, url = '/v1/t') =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'text/plain', ...(origin ? { origin } : {}) },
      payload: JSON.stringify({ writeKey: key, anonymousId: 'anon-cors', event: 'x', messageId }),
    });
  const stored = async (messageId: string) =>
    (
      await t.ctx.store.db
        .selectFrom('events')
        .select('id')
        .where('message_id', '=', messageId)
        .execute()
    ).length;
  const setOrigins = (key: string, allowedOrigins: unknown) =>
    send(t, 'PUT', '/v1/admin/settings', key, { cors: { allowedOrigins } });

  it('refuses every page until an origin is listed, and says so in the log', async () => {
    const pre = await preflight(SHOP);
    expect(pre.statusCode).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect(pre.json<{ error: { code: string } }>().error.code).toBe('origin_not_allowed');

    const res = await simple(SHOP, t.keys.write, 'cors-default');
    expect(res.statusCode).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.body).toContain('cors.allowedOrigins');
    expect(await stored('cors-default')).toBe(0);

    const settings = await t.app.inject({
      method: 'GET',
      url: `/v1/projects/${t.keys.write}/settings`,
      headers: { origin: SHOP },
    });
    expect(settings.statusCode).toBe(403);

    const warnings = log.lines.filter((l) => l.level === 40 && l.origin === SHOP);
    expect(warnings.map((w) => w.msg)).toEqual([
      expect.stringContaining('Refused a CORS preflight from https://shop.example'),
      expect.stringContaining(
        'Refused a browser request from https://shop.example to workspace default',
      ),
    ]);
    // Said once, not once per request: a busy page must not flood the log.
    await simple(SHOP, t.keys.write, 'cors-default-2');
    expect(log.lines.filter((l) => l.origin === SHOP)).toHaveLength(2);

    // Servers and apps send no Origin: not CORS, never checked.
    expect((await simple(undefined, t.keys.write, 'cors-server')).statusCode).toBe(200);
  });

  it("needs no listing for Rapport's own pages: same-origin requests carry Origin too", async () => {
    const post = (headers: Record<string, string>, messageId: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/t',
        headers: { 'content-type': 'text/plain', ...headers },
        payload: JSON.stringify({
          writeKey: t.keys.write,
          anonymousId: 'a-same',
          event: 'x',
          messageId,
        }),
      });
    const own = 'http://rapport.internal:4700';
    const byHost = await post({ host: 'rapport.internal:4700', origin: own }, 'same-host');
    expect(byHost.statusCode).toBe(200);
    expect(await stored('same-host')).toBe(1);
    // The browser, not the page, sets Sec-Fetch-Site (a proxy may rewrite Host).
    const byFetchSite = await post(
      { host: 'internal:4700', origin: 'https://rapport.example', 'sec-fetch-site': 'same-origin' },
      'same-fetch-site',
    );
    expect(byFetchSite.statusCode).toBe(200);
    // Another site's page still needs the listing, whatever Host says.
    const cross = await post(
      {
        host: 'rapport.internal:4700',
        origin: 'http://rapport.internal:4701',
        'sec-fetch-site': 'cross-site',
      },
      'cross-port',
    );
    expect(cross.statusCode).toBe(403);
    expect(await stored('cross-port')).toBe(0);
  });

  it('validates listed origins, naming the entry', async () => {
    for (const bad of [
      'https://shop.example/',
      'https://shop.example/path',
      'https://Shop.example',
      'https://shop.example:443',
      'null',
      '*',
      'ftp://shop.example',
    ]) {
      const res = await setOrigins(t.keys.admin, [SHOP, bad]);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json<{ error: { details: { path: string }[] } }>().error.details[0]!.path).toBe(
        'cors.allowedOrigins.1',
      );
    }
    const many = Array.from({ length: 101 }, (_, i) => `https://s${i}.example`);
    expect((await setOrigins(t.keys.admin, many)).statusCode).toBe(400);
  });

  it("lets a listed origin's pages call, preflight and simple request alike", async () => {
    const put = await setOrigins(t.keys.admin, [SHOP, 'http://localhost:3000']);
    expect(put.statusCode, put.body).toBe(200);
    const got = await send(t, 'GET', '/v1/admin/settings', t.keys.admin);
    expect(got.json<{ cors: unknown }>().cors).toEqual({
      allowedOrigins: [SHOP, 'http://localhost:3000'],
    });

    // A preflight answer may be 5 s stale; the request itself is checked at once.
    expect((await preflight(SHOP)).statusCode).toBe(403);
    expect((await simple(SHOP, t.keys.write, 'cors-at-once')).statusCode).toBe(200);
    afterPreflightCache();
    const pre = await preflight(SHOP);
    expect(pre.statusCode).toBe(204);
    expect(pre.headers).toMatchObject({
      'access-control-allow-origin': SHOP,
      'access-control-allow-methods': 'POST',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    expect(String(pre.headers['access-control-allow-headers'])).toContain('authorization');
    expect(String(pre.headers['access-control-allow-headers'])).toContain('x-rapport-identity');
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    expect((await preflight(SHOP, '/v1/projects/some-key/settings')).headers).toMatchObject({
      'access-control-allow-methods': 'GET',
    });

    const res = await simple(SHOP, t.keys.write, 'cors-ok');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(SHOP);
    expect(res.headers['access-control-expose-headers']).toBe('retry-after');
    expect(await stored('cors-ok')).toBe(1);

    // A listed page can read why its request was refused.
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/t',
      headers: { 'content-type': 'text/plain', origin: SHOP },
      payload: '{"writeKey": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['access-control-allow-origin']).toBe(SHOP);

    const settings = await t.app.inject({
      method: 'GET',
      url: `/v1/projects/${t.keys.write}/settings`,
      headers: { origin: SHOP },
    });
    expect(settings.statusCode).toBe(200);
    expect(settings.headers['access-control-allow-origin']).toBe(SHOP);

    // Other origins stay refused; routes a page never calls answer no preflight.
    expect((await preflight(OTHER)).statusCode).toBe(403);
    expect((await simple(OTHER, t.keys.write, 'cors-other')).statusCode).toBe(403);
    expect(await stored('cors-other')).toBe(0);
    expect((await preflight(SHOP, '/v1/admin/settings')).statusCode).toBe(404);
    expect((await preflight(undefined)).statusCode).toBe(400);
  });

  it("keeps each workspace's origins its own", async () => {
    expect((await setOrigins(bravo.admin, [BRAVO_SITE])).statusCode).toBe(200);
    afterPreflightCache();
    // The preflight names no key: an origin some workspace lists passes it...
    expect((await preflight(BRAVO_SITE)).statusCode).toBe(204);
    // ...but the request itself carries the default workspace's key, which does not list it.
    const res = await simple(BRAVO_SITE, t.keys.write, 'cors-cross');
    expect(res.statusCode).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(await stored('cors-cross')).toBe(0);
    const own = await simple(BRAVO_SITE, bravo.write, 'cors-bravo');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.headers['access-control-allow-origin']).toBe(BRAVO_SITE);
    // Bravo's list did not touch the default workspace's.
    expect((await simple(SHOP, t.keys.write, 'cors-shop-again')).statusCode).toBe(200);
  });

  it('stops a removed origin on its next request', async () => {
    expect((await simple('http://localhost:3000', t.keys.write, 'cors-before')).statusCode).toBe(
      200,
    );
    expect((await setOrigins(t.keys.admin, [SHOP])).statusCode).toBe(200);
    const after = await simple('http://localhost:3000', t.keys.write, 'cors-after');
    expect(after.statusCode).toBe(403);
    expect(await stored('cors-after')).toBe(0);
    // Clearing the list is strict again.
    expect((await setOrigins(t.keys.admin, [])).statusCode).toBe(200);
    expect((await simple(SHOP, t.keys.write, 'cors-cleared')).statusCode).toBe(403);
  });
});
