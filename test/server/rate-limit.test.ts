import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, loadConfig, type RateLimitSettings } from '../../src/config/index.js';
import { ConfigError } from '../../src/shared/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, NO_RATE_LIMITS, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const SMALL: RateLimitSettings = {
  ...NO_RATE_LIMITS,
  rateLimitWritePerSecond: 2,
  rateLimitWriteBurst: 3,
  rateLimitReadPerSecond: 0.1,
  rateLimitReadBurst: 1,
};

describe.each(STORE_KINDS)('per-key rate limits (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let n = 0;
  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 1, 12));
    t = await createTestApp(kind, { clock, rateLimits: SMALL });
  });
  afterAll(() => t.close());

  const track = (key = t.keys.write) =>
    send(t, 'POST', '/v1/track', key, { userId: 'u1', event: 'Viewed', messageId: `m${n++}` });

  it('answers 429 with Retry-After past the burst, and recovers as the clock advances', async () => {
    for (let i = 0; i < 3; i++) expect((await track()).statusCode).toBe(200);
    const limited = await track();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json().error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringContaining('the write limit is 2 per second, in bursts of up to 3'),
      details: [
        {
          path: 'rateLimit.write',
          problem: expect.stringContaining('RAPPORT_RATE_LIMIT_WRITE_PER_SECOND'),
        },
      ],
    });
    // A refused request spends nothing: half a second later one token is back.
    clock.advance(500);
    expect((await track()).statusCode).toBe(200);
    expect((await track()).statusCode).toBe(429);
    // Idle long enough and the whole burst is back, no more.
    clock.advance(60_000);
    for (let i = 0; i < 3; i++) expect((await track()).statusCode).toBe(200);
    expect((await track()).statusCode).toBe(429);
  });

  it('counts each key apart and each route class apart', async () => {
    expect((await track()).statusCode).toBe(429);
    const other = await send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope: 'write' });
    expect(other.statusCode).toBe(201);
    expect((await track(other.json<{ key: string }>().key)).statusCode).toBe(200);
    // The write key's admin-route budget (off here) is not its ingest budget; nor is the
    // admin key's ingest budget spent by the write key.
    expect((await track(t.keys.admin)).statusCode).toBe(200);
  });

  it('counts requests a key may not make (403) against its limit', async () => {
    const wrong = () => send(t, 'POST', '/v1/track', t.keys.read, { userId: 'u', event: 'E' });
    for (let i = 0; i < SMALL.rateLimitWriteBurst; i++)
      expect((await wrong()).statusCode).toBe(403);
    expect((await wrong()).statusCode).toBe(429);
  });

  it('says how long to wait when the rate is slow (Retry-After in whole seconds, at least 1)', async () => {
    expect((await send(t, 'GET', '/v1/profiles', t.keys.read)).statusCode).toBe(200);
    const limited = await send(t, 'GET', '/v1/profiles', t.keys.read);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('10');
    clock.advance(9_999);
    expect((await send(t, 'GET', '/v1/profiles', t.keys.read)).headers['retry-after']).toBe('1');
    clock.advance(1);
    expect((await send(t, 'GET', '/v1/profiles', t.keys.read)).statusCode).toBe(200);
  });

  it('refuses an unknown key with 401 before counting anything; public routes have no limit', async () => {
    expect((await track('rk_write_unknown')).statusCode).toBe(401);
    for (let i = 0; i < 5; i++) {
      expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    }
  });
});

describe.each(STORE_KINDS)('default rate limits (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 1, 12));
    t = await createTestApp(kind, { clock, rateLimits: DEFAULTS });
  });
  afterAll(() => t.close());

  it('let a key preview 10 segments at once, then one a second, without slowing its other reads', async () => {
    const preview = () =>
      send(t, 'POST', '/v1/segments/preview', t.keys.read, {
        definition: { event: 'Viewed', within: 'P7D' },
      });
    for (let i = 0; i < DEFAULTS.rateLimitPreviewBurst; i++) {
      const res = await preview();
      expect(res.statusCode, res.body).toBe(200);
    }
    const limited = await preview();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.details[0].path).toBe('rateLimit.preview');
    expect((await send(t, 'GET', '/v1/segments', t.keys.read)).statusCode).toBe(200);
    clock.advance(1000);
    expect((await preview()).statusCode).toBe(200);
    expect((await preview()).statusCode).toBe(429);
  });

  it('let a write key send its burst of 1,000 ingest calls at once, then refuse', async () => {
    const batch = (i: number) =>
      send(t, 'POST', '/v1/batch', t.keys.write, {
        batch: [{ type: 'track', userId: 'u', event: 'E', messageId: `d${i}` }],
      });
    const codes = new Map<number, number>();
    for (let i = 0; i <= DEFAULTS.rateLimitWriteBurst; i++) {
      const code = (await batch(i)).statusCode;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    expect(Object.fromEntries(codes)).toEqual({ 200: 1000, 429: 1 });
  });
});

describe('rate limit settings', () => {
  it('come from RAPPORT_RATE_LIMIT_* variables; a bad value names its variable', () => {
    const config = loadConfig(
      {},
      { RAPPORT_RATE_LIMIT_WRITE_PER_SECOND: '50.5', RAPPORT_RATE_LIMIT_PREVIEW_BURST: '3' },
    );
    expect(config).toMatchObject({
      rateLimitWritePerSecond: 50.5,
      rateLimitWriteBurst: 1000,
      rateLimitPreviewBurst: 3,
    });
    expect(() => loadConfig({}, { RAPPORT_RATE_LIMIT_READ_PER_SECOND: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({}, { RAPPORT_RATE_LIMIT_ADMIN_BURST: '0' })).toThrow(
      /RAPPORT_RATE_LIMIT_ADMIN_BURST/,
    );
  });
});
