import { expect } from 'vitest';
import { learnStep } from '../../src/decisions/index.js';
import { inGlobalControl } from '../../src/measurement/index.js';
import { findProfileId } from '../../src/profiles/index.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { send, type TestApp } from '../helpers/app.js';

/** A one-pixel image as data: the dashboard's CSP allows it, and nothing leaves loopback. */
export const PIXEL =
  'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" width="8" height="8"%3E%3Crect width="8" height="8" fill="%23c96"/%3E%3C/svg%3E';

const ok = async (res: Promise<{ statusCode: number; body: string }>, status = 200) => {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return JSON.parse(r.body || 'null') as Record<string, unknown>;
};

export interface SeededDecisions {
  /** Shoppers decided for at the `hero` placement, by whether they were held out. */
  held: string[];
  treated: string[];
}

/**
 * A catalog with orders (bought together), trained recommendation models; two offers and
 * a Thompson placement with a 50% holdout decided for 24 shoppers, some of whom clicked
 * and ordered, so the placement's experiment has a lift and its policy learned; half of
 * them are in the global control group, so the program has a lift too.
 */
export async function seedDecisions(t: TestApp, clock: ManualClock): Promise<SeededDecisions> {
  await ok(
    send(t, 'PUT', '/v1/catalog/items', t.keys.admin, {
      items: [
        { id: 'p-1', title: 'Linen shirt', price: 49, currency: 'EUR', image: PIXEL },
        { id: 'p-2', title: 'Linen trousers', price: 69, currency: 'EUR', image: PIXEL },
        { id: 'p-3', title: 'Straw hat', price: 25, currency: 'EUR' },
      ],
    }),
  );
  await ok(
    send(t, 'POST', '/v1/offers', t.keys.admin, {
      id: 'vip20',
      name: '20% for VIPs',
      kind: 'discount_code',
      content: { web: { title: '20% off today' } },
      value: 20,
      budget: { count: 500, spend: 10000 },
      codes: true,
      priority: 10,
    }),
    201,
  );
  await ok(
    send(t, 'POST', '/v1/offers/vip20/codes', t.keys.admin, {
      codes: Array.from({ length: 40 }, (_, i) => `VIP-${i}`),
    }),
  );
  for (const [id, name, kind] of [
    ['ship', 'Free shipping', 'free_shipping'],
    ['none', 'Nothing today', 'no_offer'],
  ])
    await ok(send(t, 'POST', '/v1/offers', t.keys.admin, { id, name, kind }), 201);
  await ok(
    send(t, 'POST', '/v1/placements', t.keys.admin, {
      name: 'hero',
      candidates: ['vip20', 'ship'],
      default: 'none',
      policy: { kind: 'thompson' },
      holdoutPercent: 50,
    }),
    201,
  );

  const held: string[] = [];
  const treated: string[] = [];
  const decided = new Map<string, string>();
  for (let i = 0; i < 24; i++) {
    const userId = `shopper-${i}`;
    await ok(send(t, 'POST', '/v1/identify', t.keys.write, { userId, traits: { plan: 'free' } }));
    await t.ctx.profiles.drain();
    const d = await ok(send(t, 'POST', '/v1/decide', t.keys.read, { placement: 'hero', userId }));
    (d.holdout ? held : treated).push(userId);
    decided.set(userId, String(d.decisionId));
    // Half of them in the global control group, as their first marketing message would
    // put them: the program report then compares the rest with them.
    const profileId = await findProfileId(t.ctx.store.db, 'default', 'user_id', userId);
    await inGlobalControl(t.ctx.store.db, 'default', profileId!, 50, clock.now());
  }
  clock.advance(60_000);
  // The policy's people order more than the held-out ones: a positive lift.
  const buyers = [...held.slice(0, 2), ...treated.slice(0, Math.ceil(treated.length * 0.6))];
  for (const [i, userId] of buyers.entries())
    await ok(
      send(t, 'POST', '/v1/track', t.keys.write, {
        userId,
        event: 'Order Completed',
        properties: {
          order_id: `o-${i}`,
          revenue: 80,
          products: [{ product_id: 'p-1' }, { product_id: i % 3 === 2 ? 'p-3' : 'p-2' }],
        },
      }),
    );
  const clicker = treated[0]!;
  await ok(
    send(t, 'POST', '/v1/track', t.keys.write, {
      userId: clicker,
      event: 'Offer Clicked',
      properties: { decision_id: decided.get(clicker) },
    }),
  );
  await t.ctx.profiles.drain();
  while (await learnStep(t.ctx.store, t.clock));
  await t.ctx.recommendations.train('default');
  return { held, treated };
}
