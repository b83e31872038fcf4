import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentityToken } from '../../src/workspaces/identity-token.js';
import { createTestApp, NO_RATE_LIMITS, send, type TestApp } from '../helpers/app.js';
import { failOnPoison, seedWorkspaceA, type WorkspaceA } from '../helpers/isolation.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { keyedRoutes, pathFor, routeCases, type RouteCase } from './isolation-cases.js';

/** Everything a public key may call: each for its own identity only. Nothing else. */
const PUBLIC_ALLOWED = [
  'POST /v1/track',
  'POST /v1/identify',
  'POST /v1/page',
  'POST /v1/screen',
  'POST /v1/group',
  'POST /v1/alias',
  'POST /v1/batch',
  // Segment's browser and mobile SDK paths: the same calls, under the same rules.
  'POST /v1/t',
  'POST /v1/i',
  'POST /v1/p',
  'POST /v1/s',
  'POST /v1/g',
  'POST /v1/a',
  'POST /v1/b',
  // The settings the SDK loads with the key it sends events with; no person in it.
  'GET /v1/projects/{writeKey}/settings',
  'GET /v1/recommendations',
  'POST /v1/decide',
];

const DAY = 86_400_000;

describe.each(STORE_KINDS)('a public key (%s)', (kind) => {
  let t: TestApp;
  let a: WorkspaceA;
  let key: string;
  let secret: string;
  const as = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    token?: string,
    remoteAddress = '203.0.113.1',
  ) =>
    t.app.inject({
      method,
      url,
      remoteAddress,
      headers: {
        authorization: `Bearer ${key}`,
        ...(token ? { 'x-rapport-identity': token } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const tokenFor = (userId: string, ttl = DAY) =>
    signIdentityToken(secret, userId, t.clock.now() + ttl);

  beforeAll(async () => {
    t = await createTestApp(kind, {
      stages: [failOnPoison],
      rateLimits: { ...NO_RATE_LIMITS, rateLimitPublicPerSecond: 0.001, rateLimitPublicBurst: 40 },
    });
    a = await seedWorkspaceA(t);
    const created = await send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope: 'public' });
    expect(created.statusCode, created.body).toBe(201);
    key = created.json<{ key: string }>().key;
    expect(key.startsWith('rk_public_')).toBe(true);
    const rotated = await send(t, 'POST', '/v1/admin/identity-secret/rotate', t.keys.admin, {});
    expect(rotated.statusCode, rotated.body).toBe(200);
    secret = rotated.json<{ secret: string }>().secret;
  }, 60_000);
  afterAll(() => t.close());

  it('is refused every route of the OpenAPI document but the explicit few', async () => {
    const routes = await keyedRoutes(t);
    expect(routes.filter((r) => r.publicKey).map((r) => `${r.method} ${r.path}`)).toEqual(
      PUBLIC_ALLOWED,
    );
    const cases = routeCases(a);
    const leaks: string[] = [];
    for (const [i, route] of routes.entries()) {
      const name = `${route.method} ${route.path}`;
      const c: Partial<RouteCase> = cases[name] ?? {
        body: route.method === 'POST' ? { name: 'x' } : undefined,
      };
      const query = c.query ? `?${new URLSearchParams(c.query).toString()}` : '';
      const url = route.scope === 'platform' ? route.path : pathFor(route.path, a) + query;
      // A client address per route: the walk must not run into the per-address limit.
      const res = await as(route.method, url, c.body, undefined, `10.0.0.${i + 1}`);
      // The allowed routes aim at A's user without a token: someone else's identity.
      if (res.statusCode !== 403)
        leaks.push(`${name} -> ${res.statusCode} ${res.body.slice(0, 160)}`);
      else if (!/public key|identity token|platform key/i.test(res.body)) {
        leaks.push(`${name}: 403 without saying why: ${res.body.slice(0, 160)}`);
      }
    }
    expect(leaks).toEqual([]);
  }, 60_000);

  it('sends events and reads recommendations for its own proven or anonymous identity', async () => {
    const me = 'u-browser-1';
    const token = tokenFor(me);
    const ok: [string, unknown][] = [
      ['/v1/track', { userId: me, event: 'Product Viewed', properties: { product_id: 'p1' } }],
      ['/v1/identify', { userId: me, traits: { first_name: 'Bo' } }],
      ['/v1/page', { userId: me, name: 'Home' }],
      ['/v1/screen', { userId: me, name: 'Home' }],
      ['/v1/group', { userId: me, groupId: 'g-1' }],
      ['/v1/alias', { userId: me, anonymousId: 'anon-1', previousId: 'anon-1' }],
      ['/v1/batch', { batch: [{ type: 'track', userId: me, event: 'Viewed' }] }],
    ];
    for (const [url, body] of ok) {
      const res = await as('POST', url, body, token);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    }
    const anon = await as('POST', '/v1/track', { anonymousId: 'anon-2', event: 'Viewed' });
    expect(anon.statusCode, anon.body).toBe(200);
    const recs = await as('GET', `/v1/recommendations?userId=${me}`, undefined, token);
    expect(recs.statusCode, recs.body).toBe(200);
    const anonRecs = await as('GET', '/v1/recommendations?anonymousId=anon-2');
    expect(anonRecs.statusCode, anonRecs.body).toBe(200);
    const itemRecs = await as('GET', '/v1/recommendations?itemId=p1');
    expect(itemRecs.statusCode, itemRecs.body).toBe(200);
    // Decide for its own proven identity reaches the decision (an unknown placement is a
    // 400 naming it, not a 403); for someone else's it is refused.
    const mine = await as('POST', '/v1/decide', { placement: 'nowhere', userId: me }, token);
    expect(mine.statusCode, mine.body).toBe(400);
    expect(mine.body).toContain('placement');
    const theirs = await as(
      'POST',
      '/v1/decide',
      { placement: 'nowhere', userId: a.userId },
      token,
    );
    expect(theirs.statusCode, theirs.body).toBe(403);
  });

  it("refuses someone else's identity, bad tokens and profile-joining identifiers", async () => {
    const me = 'u-browser-2';
    const cases: [string, 'GET' | 'POST', string, unknown, string | undefined, RegExp][] = [
      [
        'no token',
        'GET',
        `/v1/recommendations?userId=${a.userId}`,
        undefined,
        undefined,
        /needs an identity token/,
      ],
      [
        'token of another user',
        'GET',
        `/v1/recommendations?userId=${a.userId}`,
        undefined,
        tokenFor(me),
        /was not signed for userId/,
      ],
      [
        'expired',
        'POST',
        '/v1/track',
        { userId: me, event: 'x' },
        tokenFor(me, -1000),
        /expired at/,
      ],
      [
        'too long-lived',
        'POST',
        '/v1/track',
        { userId: me, event: 'x' },
        tokenFor(me, 40 * DAY),
        /30 days/,
      ],
      ['garbage', 'POST', '/v1/track', { userId: me, event: 'x' }, 'abc', /not an identity token/],
      [
        'forged',
        'POST',
        '/v1/track',
        { userId: me, event: 'x' },
        signIdentityToken('idsec_guess_guess_guess', me, t.clock.now() + DAY),
        /was not signed/,
      ],
      [
        'e-mail',
        'POST',
        '/v1/identify',
        { anonymousId: 'anon-3', traits: { email: 'someone@example.com' } },
        undefined,
        /may not send email/,
      ],
      [
        'phone in context',
        'POST',
        '/v1/track',
        { anonymousId: 'anon-3', event: 'x', context: { traits: { phone: '+33600000000' } } },
        undefined,
        /may not send phone/,
      ],
      [
        'alias of a foreign id',
        'POST',
        '/v1/alias',
        { userId: me, previousId: a.userId },
        tokenFor(me),
        /only alias its own anonymousId/,
      ],
      [
        'two people in a batch',
        'POST',
        '/v1/batch',
        {
          batch: [
            { type: 'track', userId: me, event: 'x' },
            { type: 'track', userId: a.userId, event: 'x' },
          ],
        },
        tokenFor(me),
        /one person per request/,
      ],
    ];
    for (const [what, method, url, body, token, message] of cases) {
      const res = await as(method, url, body, token);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(403);
      expect(res.json<{ error: { message: string } }>().error.message, what).toMatch(message);
    }
  });

  it('stops honouring tokens of a secret rotated out with no overlap', async () => {
    const me = 'u-browser-3';
    const token = tokenFor(me);
    expect((await as('POST', '/v1/track', { userId: me, event: 'x' }, token)).statusCode).toBe(200);
    const rotated = await send(t, 'POST', '/v1/admin/identity-secret/rotate', t.keys.admin, {
      overlapHours: 0,
    });
    expect(rotated.statusCode).toBe(200);
    const after = await as('POST', '/v1/track', { userId: me, event: 'x' }, token);
    expect(after.statusCode).toBe(403);
    secret = rotated.json<{ secret: string }>().secret;
    expect(
      (await as('POST', '/v1/track', { userId: me, event: 'x' }, tokenFor(me))).statusCode,
    ).toBe(200);
    const bad = await send(t, 'POST', '/v1/admin/identity-secret/rotate', t.keys.admin, {
      overlapHours: -1,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('is rate-limited per client address, apart from other visitors', async () => {
    const body = { anonymousId: 'anon-flood', event: 'x' };
    let refused = 0;
    for (let i = 0; i < 45; i++) {
      const res = await as('POST', '/v1/track', body, undefined, '198.51.100.7');
      if (res.statusCode === 429) {
        refused++;
        expect(res.headers['retry-after']).toBeDefined();
      }
    }
    expect(refused).toBeGreaterThan(0);
    const other = await as('POST', '/v1/track', body, undefined, '198.51.100.8');
    expect(other.statusCode, other.body).toBe(200);
  });
});
