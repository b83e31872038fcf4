import { describe, expect, it } from 'vitest';
import { advance } from './advance.js';
import { durationMs } from './duration.js';
import type { Effect, SendEffect } from './effects.js';
import { tryEnter } from './enter.js';
import type { ConditionContext } from './env.js';
import { SEGMENT_ENTERED, type JourneyEvent } from './journey-event.js';
import { getPath } from './paths.js';
import type { RunState } from './run-state.js';
import { simulate, type SimulatedPerson } from './simulate.js';
import {
  backInStock,
  birthday,
  browseAbandonment,
  cartAbandonment,
  postPurchase,
  priceDrop,
  replenishment,
  welcomeSeries,
  winBack,
} from './recipes/index.js';
import {
  createTestEnv,
  createTestProfile,
  DAY,
  HOUR,
  T0,
  trackEvent,
} from '../../../test/factories/journeys.js';

const SECOND = 1000;
const hook = 'http://127.0.0.1:9999/hook';

function run(
  def: Parameters<typeof simulate>[0],
  events: JourneyEvent[],
  extra: Partial<Parameters<typeof simulate>[2]> = {},
  person: Partial<SimulatedPerson['profile']> = {},
) {
  const effects: Effect[] = [];
  const result = simulate(def, [{ profile: createTestProfile(person), events }], {
    from: T0 - DAY,
    to: T0 + 400 * DAY,
    seed: 1,
    onEffect: (e) => effects.push(e),
    ...extra,
  });
  const sends = effects.filter((e): e is SendEffect => e.type === 'send');
  return { result, effects, sends };
}

describe('cart abandonment', () => {
  const def = cartAbandonment({ delay: 'PT3S', channel: 'webhook', webhookUrl: hook });

  it('has exactly the specified shape', () => {
    expect(def.trigger).toEqual({
      type: 'event',
      event: 'Product Added',
      key: 'properties.cart_id',
    });
    expect(def.steps[0]).toEqual({
      id: 'wait_for_order',
      type: 'wait',
      event: { event: 'Order Completed', key: 'properties.cart_id' },
      timeout: 'PT3S',
      next: { event: 'ordered', timeout: 'send_reminder' },
    });
    expect(def.steps[1]).toMatchObject({
      id: 'send_reminder',
      type: 'send',
      channel: 'webhook',
      url: hook,
    });
    expect(def.goal).toEqual({ event: 'Order Completed', key: 'properties.cart_id' });
    expect(def.reentry).toEqual({ policy: 'never', scope: 'key' });
  });

  it('two carts, one ordered: exactly one reminder, for the other cart, with its products', () => {
    const events = [
      trackEvent('Product Added', T0, { cart_id: 'A', product_id: 'mug', name: 'Mug', price: 9 }),
      trackEvent('Product Added', T0 + 1 * SECOND, {
        cart_id: 'B',
        product_id: 'tea',
        name: 'Tea',
        price: 4,
      }),
      trackEvent('Product Added', T0 + 1.5 * SECOND, {
        cart_id: 'B',
        product_id: 'pot',
        name: 'Pot',
        price: 20,
      }),
      trackEvent('Order Completed', T0 + 2 * SECOND, { cart_id: 'A', total: 9 }),
    ];
    const { sends, result } = run(def, events);
    expect(sends).toHaveLength(1);
    const reminder = sends[0]!;
    expect(reminder).toMatchObject({
      at: T0 + 4 * SECOND, // three seconds after cart B's first product
      channel: 'webhook',
      url: hook,
      message: { templateId: 'cart_abandonment_reminder' },
      payload: {
        key: 'B',
        items: [
          { cart_id: 'B', product_id: 'tea', name: 'Tea', price: 4 },
          { cart_id: 'B', product_id: 'pot', name: 'Pot', price: 20 },
        ],
      },
    });
    // Cart A converted; cart B was reminded and completed after the conversion window.
    expect(result.treated).toMatchObject({ runs: 2, converted: 1, completed: 1, messages: 1 });
    expect(result.steps.send_reminder!.entered).toBe(1);
  });

  it('drives the same way through tryEnter and advance, as the shell will', () => {
    const runs: RunState[] = [];
    const effects: Effect[] = [];
    const profile = createTestProfile();
    const deliver = (event: JourneyEvent) => {
      const env = createTestEnv(event.timestamp, { profile });
      runs.forEach((r, i) => {
        const next = advance(def, r, { kind: 'event', event }, env);
        runs[i] = next.run;
        effects.push(...next.effects);
      });
      const entered = tryEnter(def, { runId: `r${runs.length}`, event, previousRuns: runs }, env);
      if (entered.kind === 'entered') {
        runs.push(entered.run);
        effects.push(...entered.effects);
      }
    };
    deliver(trackEvent('Product Added', T0, { cart_id: 'A', product_id: 'mug' }));
    deliver(trackEvent('Product Added', T0 + SECOND, { cart_id: 'B', product_id: 'tea' }));
    deliver(trackEvent('Product Added', T0 + SECOND, { cart_id: 'A', product_id: 'cup' }));
    deliver(trackEvent('Order Completed', T0 + 2 * SECOND, { cart_id: 'A' }));
    expect(runs.map((r) => [r.key, r.status])).toEqual([
      ['A', 'converted'],
      ['B', 'waiting'],
    ]);
    const due = runs[1]!;
    const fired = advance(def, due, { kind: 'timer' }, createTestEnv(due.wakeAt!, { profile }));
    const sends = fired.effects.filter((e) => e.type === 'send');
    expect(sends).toEqual([
      expect.objectContaining({
        idempotencyKey: 'r1:send_reminder:1',
        payload: expect.objectContaining({
          key: 'B',
          items: [{ cart_id: 'B', product_id: 'tea' }],
        }),
      }),
    ]);
    expect(effects.filter((e) => e.type === 'convert')).toHaveLength(1);
  });

  it('drops removed products and counts an order after the reminder as a conversion', () => {
    const events = [
      trackEvent('Product Added', T0, { cart_id: 'A', product_id: 'mug' }),
      trackEvent('Product Added', T0 + 1, { cart_id: 'A', product_id: 'cup' }),
      trackEvent('Product Removed', T0 + 2, { cart_id: 'A', product_id: 'mug' }),
      trackEvent('Order Completed', T0 + DAY, { cart_id: 'A' }),
    ];
    const { sends, result } = run(def, events);
    expect(sends.map((s) => s.payload.items.map((i) => i.product_id))).toEqual([['cup']]);
    expect(result.steps.conversion_window).toMatchObject({ entered: 1, converted: 1 });
  });

  it('never reminds a held-out person, but tracks the conversion', () => {
    const held = cartAbandonment({ delay: 'PT3S', holdoutPercent: 100 });
    const { sends, effects, result } = run(held, [
      trackEvent('Product Added', T0, { cart_id: 'A', product_id: 'm' }),
    ]);
    expect(sends).toEqual([]);
    expect(effects.filter((e) => e.type === 'suppressed')).toHaveLength(1);
    expect(result.holdout).toMatchObject({ runs: 1, suppressed: 1, messages: 0 });
  });
});

describe('the other recipes behave', () => {
  it('welcome series: messages at their delays until the first order', () => {
    const def = welcomeSeries({ channel: 'email' });
    const { sends, result } = run(def, [
      trackEvent('Signed Up', T0),
      trackEvent('Order Completed', T0 + 3 * DAY),
      trackEvent('Signed Up', T0 + 10 * DAY),
    ]);
    expect(sends.map((s) => [s.message.templateId, s.at - T0])).toEqual([
      ['welcome_1', 0],
      ['welcome_2', 2 * DAY],
    ]);
    expect(result.runs).toBe(1); // never re-enters
    expect(result.treated.converted).toBe(1);
  });

  it('browse abandonment: reminds of a viewed product not added, once a week at most', () => {
    const def = browseAbandonment({});
    const { sends } = run(def, [
      trackEvent('Product Viewed', T0, { product_id: 'a' }),
      trackEvent('Product Added', T0 + HOUR, { product_id: 'a' }),
      trackEvent('Product Viewed', T0 + 3 * HOUR, { product_id: 'b' }),
      trackEvent('Product Viewed', T0 + 4 * DAY, { product_id: 'c' }),
      trackEvent('Product Viewed', T0 + 8 * DAY, { product_id: 'd' }),
    ]);
    // Re-entry counts from the previous entry (product a at T0): b and c come within the
    // week and start nothing; d comes after it.
    expect(sends.map((s) => [s.payload.key, s.at - T0])).toEqual([['d', 8 * DAY + 2 * HOUR]]);
  });

  it('post-purchase: thanks, review request, complementary products; a refund stops it', () => {
    const def = postPurchase({ reviewDelay: 'P7D', complementaryDelay: 'P14D' });
    const order = (id: string, at: number) =>
      trackEvent('Order Completed', at, {
        order_id: id,
        products: [{ product_id: 'x', price: 5 }],
      });
    const { sends } = run(def, [
      order('o1', T0),
      order('o2', T0 + 100 * DAY),
      trackEvent('Order Refunded', T0 + 101 * DAY, { order_id: 'o2' }),
    ]);
    expect(sends.map((s) => [s.payload.key, s.message.templateId, (s.at - T0) / DAY])).toEqual([
      ['o1', 'post_purchase_thanks', 0],
      ['o1', 'post_purchase_review', 7],
      ['o1', 'post_purchase_complementary', 21],
      ['o2', 'post_purchase_thanks', 100],
    ]);
    expect(sends[0]!.payload.items).toEqual([{ product_id: 'x', price: 5 }]);
  });

  it('replenishment: a reorder converts and restarts the cycle; silence gets a reminder', () => {
    const def = replenishment({ cycle: 'P30D' });
    const { sends, result } = run(def, [
      trackEvent('Order Completed', T0, { order_id: 'o1' }),
      trackEvent('Order Completed', T0 + 20 * DAY, { order_id: 'o2' }),
    ]);
    expect(sends.map((s) => [s.payload.key, (s.at - T0) / DAY])).toEqual([['o2', 50]]);
    expect(result.treated).toMatchObject({ runs: 2, converted: 1, completed: 1 });
  });

  it('birthday: once a year at 09:00 in the person’s zone', () => {
    const def = birthday({ channel: 'push' });
    const { sends } = run(
      def,
      [],
      { to: T0 + 400 * DAY },
      { traits: { birthday: '1990-07-14' }, timezone: 'Asia/Tokyo' },
    );
    // 09:00 in Tokyo (UTC+9) is 00:00 UTC.
    expect(sends.map((s) => [new Date(s.at).toISOString(), s.payload.key])).toEqual([
      ['2026-07-14T00:00:00.000Z', '2026-07-14'],
    ]);
    const leap = run(def, [], { to: T0 + 800 * DAY }, { traits: { birthday: '--02-29' } });
    expect(leap.sends.map((s) => s.payload.key)).toEqual([
      '2026-02-28',
      '2027-02-28',
      '2028-02-29',
    ]);
  });

  it('win-back: a reminder, then an incentive unless an order comes', () => {
    const def = winBack({ segmentId: 'lapsed', followUpAfter: 'P7D' });
    const entered = trackEvent(SEGMENT_ENTERED, T0, { segment_id: 'lapsed' });
    expect(run(def, [entered]).sends.map((s) => [s.message.templateId, (s.at - T0) / DAY])).toEqual(
      [
        ['win_back_miss_you', 0],
        ['win_back_incentive', 7],
      ],
    );
    const won = run(def, [entered, trackEvent('Order Completed', T0 + 2 * DAY)]);
    expect(won.sends).toHaveLength(1);
    expect(won.result.treated.converted).toBe(1);
  });

  // The condition environment: the segment language's "did event where path eq within".
  const interestEvaluator =
    (history: JourneyEvent[]) => (condition: unknown, ctx: ConditionContext) => {
      const c = condition as {
        any: { event: string; where: Record<string, { eq: unknown }>; within: string }[];
      };
      return c.any.some((e) =>
        history.some(
          (h) =>
            h.event === e.event &&
            h.timestamp <= ctx.now &&
            h.timestamp > ctx.now - durationMs(e.within) &&
            Object.entries(e.where).every(([path, op]) => getPath(h, path) === op.eq),
        ),
      );
    };

  it('price drop: alerts only people interested in the item, at the local send time', () => {
    const def = priceDrop({ minDropPercent: 10, sendAt: '10:00' });
    const viewed = [trackEvent('Product Viewed', T0 - 2 * DAY, { product_id: 'sku-1' })];
    const catalogEvents = [
      trackEvent('Product Price Dropped', T0, { product_id: 'sku-1', drop_percent: 5 }),
      trackEvent('Product Price Dropped', T0 + HOUR, {
        product_id: 'sku-1',
        drop_percent: 25,
        price: 30,
      }),
      trackEvent('Product Price Dropped', T0 + HOUR, { product_id: 'sku-2', drop_percent: 50 }),
    ];
    const { sends } = run(def, viewed, {
      from: T0 - 3 * DAY,
      catalogEvents,
      evaluateCondition: interestEvaluator(viewed),
    });
    // T0 is 12:00 UTC, the drop at 13:00: the next 10:00 UTC is the next day.
    expect(
      sends.map((s) => [s.payload.key, s.at - T0, s.payload.trigger.properties?.price]),
    ).toEqual([['sku-1', DAY - 2 * HOUR, 30]]);
  });

  it('back in stock: alerts interested people, and nobody else', () => {
    const def = backInStock({});
    const restock = [trackEvent('Product Back In Stock', T0, { product_id: 'sku-1' })];
    const added = [trackEvent('Product Added', T0 - DAY, { product_id: 'sku-1', cart_id: 'c' })];
    const interested = run(def, added, {
      catalogEvents: restock,
      evaluateCondition: interestEvaluator(added),
    });
    expect(interested.sends.map((s) => [s.payload.key, s.at])).toEqual([['sku-1', T0]]);
    const stale = [trackEvent('Product Added', T0 - 40 * DAY, { product_id: 'sku-1' })];
    expect(
      run(def, stale, {
        from: T0 - 50 * DAY,
        catalogEvents: restock,
        evaluateCondition: interestEvaluator(stale),
      }).sends,
    ).toEqual([]);
  });
});
