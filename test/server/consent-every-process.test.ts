// Consent is cached on the serving paths (decide, recommendations) and a "no" still holds
// from the very next request in every process: two systems on one store, as an API
// process and a worker on PostgreSQL, or a server and the CLI on one SQLite file.
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, closeApp, type App } from '../../src/app/build-app.js';
import { buildServer } from '../../src/server/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { Store } from '../../src/store/index.js';
import { createTestApp, NO_RATE_LIMITS, send, type TestApp } from '../helpers/app.js';
import { reopenStore, STORE_KINDS } from '../helpers/stores.js';
import { offer, person, placement } from '../decisions/fixtures.js';

describe.each(STORE_KINDS)('a consent change reaches every process (%s)', (kind) => {
  let a: TestApp;
  let clock: ManualClock;
  let storeB: Store;
  let appB: App;
  let serverB: FastifyInstance;
  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 1, 12));
    a = await createTestApp(kind, { clock });
    storeB = reopenStore(a.testStore);
    appB = buildApp({ store: storeB, clock, logger: pino({ level: 'silent' }) });
    serverB = buildServer(appB, { rateLimits: NO_RATE_LIMITS });
    await serverB.ready();
    await offer(a, 'none', { kind: 'no_offer' });
    await offer(a, 'low', { priority: 1 });
    await offer(a, 'high', { priority: 9 });
    await placement(a, 'hero', {
      candidates: ['low', 'high'],
      default: 'none',
      policy: { kind: 'weighted', weights: { low: 1, high: 0 } },
    });
  });
  afterAll(async () => {
    await serverB.close();
    await closeApp(appB);
    await storeB.close();
    await a.close();
  });

  const decideOnB = async (userId: string) => {
    const res = await serverB.inject({
      method: 'POST',
      url: '/v1/decide',
      headers: { authorization: `Bearer ${a.keys.read}` },
      payload: { placement: 'hero', userId },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ offer: { id: string } | null; reasons: string[] }>();
  };
  const consent = async (userId: string, body: Record<string, unknown>) => {
    const res = await send(a, 'PUT', `/v1/profiles/user_id/${userId}/consent`, a.keys.admin, body);
    expect(res.statusCode, res.body).toBe(200);
  };

  it('an opt-out of personalization made through one process holds on the next decide in the other', async () => {
    await person(a, 'ann');
    // B has decided for Ann: her consent is in its cache now.
    for (let i = 0; i < 3; i++) expect((await decideOnB('ann')).offer?.id).toBe('low');
    await consent('ann', { personalization: false });
    const next = await decideOnB('ann');
    expect(next.reasons).toContain('not_personalized');
    expect(next.offer?.id).toBe('high');
    // And back: a "yes" given later through A also reaches B at once.
    clock.advance(60_000);
    await consent('ann', { personalization: true });
    expect((await decideOnB('ann')).reasons).not.toContain('not_personalized');
  });

  it('an opt-out after a merge reaches what was cached under the merged-away profile', async () => {
    await person(a, 'bea');
    const seen = await send(a, 'POST', '/v1/track', a.keys.write, {
      anonymousId: 'anon-bea',
      event: 'Product Viewed',
      messageId: 'm-anon-bea',
    });
    expect(seen.statusCode, seen.body).toBe(200);
    await a.ctx.profiles.drain();
    const decideAnon = async () => {
      const res = await serverB.inject({
        method: 'POST',
        url: '/v1/decide',
        headers: { authorization: `Bearer ${a.keys.read}` },
        payload: { placement: 'hero', anonymousId: 'anon-bea' },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ reasons: string[] }>();
    };
    expect((await decideAnon()).reasons).not.toContain('not_personalized');
    // The visitor signs in: the two profiles merge.
    const merged = await send(a, 'POST', '/v1/identify', a.keys.write, {
      userId: 'bea',
      anonymousId: 'anon-bea',
      messageId: 'm-merge-bea',
    });
    expect(merged.statusCode, merged.body).toBe(200);
    await a.ctx.profiles.drain();
    expect((await decideAnon()).reasons).not.toContain('not_personalized');
    await consent('bea', { personalization: false });
    expect((await decideAnon()).reasons).toContain('not_personalized');
  });
});
