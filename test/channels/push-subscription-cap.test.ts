import { createECDH, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_SUBSCRIPTIONS_PER_PERSON } from '../../src/messaging/push-subscriptions.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

/** A browser's subscription JSON with valid keys. */
function subscription(n: number) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: `https://push.example.com/sub/${n}`,
    keys: {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  };
}

describe.each(STORE_KINDS)('push subscriptions per person are capped (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
    t = await createTestApp(kind, { clock });
  });
  afterEach(async () => {
    await t.close();
  });

  const subscribe = async (n: number) => {
    clock.advance(1000);
    const res = await send(t, 'POST', '/v1/push/subscriptions', t.keys.write, {
      userId: 'ada',
      subscription: subscription(n),
    });
    expect(res.statusCode).toBe(201);
  };
  const endpoints = async () =>
    (
      await t.ctx.store.db
        .selectFrom('push_subscriptions')
        .select('endpoint')
        .orderBy('endpoint')
        .execute()
    ).map((r) => Number(r.endpoint.split('/').pop()));

  it('keeps the newest, and a refreshed subscription counts as new', async () => {
    for (let n = 1; n <= 12; n++) await subscribe(n);
    expect((await endpoints()).sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // The browser behind 3 confirms its subscription: 4 is now the oldest.
    await subscribe(3);
    await subscribe(13);
    expect((await endpoints()).sort((a, b) => a - b)).toEqual([3, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(MAX_SUBSCRIPTIONS_PER_PERSON).toBe(10);
  });
});
