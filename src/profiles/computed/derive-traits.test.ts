import { describe, expect, it } from 'vitest';
import { applyEvent } from './apply-event.js';
import { deriveTraits } from './derive-traits.js';
import { emptyFacts } from './facts-schema.js';
import type { ProfileEvent } from './profile-event.js';
import { rfmBoundaries, rfmScores } from './rfm.js';
import { factsOf, identify, page, track } from '../../../test/factories/profile-events.js';
import { defaultWorkspaceModel } from './workspace-model.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const D0 = Date.UTC(2024, 0, 1, 12); // noon UTC, a Monday in winter
const model = defaultWorkspaceModel(D0); // default gap 30 days, min gap 7, ×1.5 / ×3
const derive = (events: ProfileEvent[], now: number, m = model) =>
  deriveTraits(factsOf(events), now, m);
const order = (
  id: string,
  at: number,
  properties: Record<string, unknown>,
  messageId = `order-${id}-${at}`,
) => track('Order Completed', at, { order_id: id, ...properties }, { messageId });

describe('order traits', () => {
  const threeOrders = [
    order('o1', D0, { revenue: 100, total: 999 }),
    order('o2', D0 + 10 * DAY, { revenue: '12', total: 50 }), // a string revenue is junk: total counts
    order('o3', D0 + 30 * DAY, {
      products: [
        { price: 10, quantity: 2 },
        { price: 5 }, // quantity defaults to 1
        { price: -3, quantity: 1 }, // junk lines add nothing
        { price: 7, quantity: -2 },
        { price: 'x', quantity: 1 },
      ],
    }),
  ];

  it('counts orders, revenue (revenue, else total, else Σ price × quantity) and AOV', () => {
    const t = derive(threeOrders, D0 + 40 * DAY);
    expect(t.order_count).toBe(3);
    expect(t.revenue).toBe(175);
    expect(t.aov).toBeCloseTo(175 / 3, 12);
    expect(t.first_order_at).toBe(D0);
    expect(t.last_order_at).toBe(D0 + 30 * DAY);
    expect(t.days_since_last_order).toBe(10);
    expect(t.typical_days_between_orders).toBe(15); // median of 10 and 20
  });

  it('moves through active → at_risk → lapsed at 1.5× and 3× the typical gap', () => {
    const last = D0 + 30 * DAY; // gap 15 days: at risk after 22.5, lapsed after 45
    expect(derive(threeOrders, last + 10 * DAY).lifecycle).toBe('active');
    expect(derive(threeOrders, last + 22.5 * DAY).lifecycle).toBe('active');
    expect(derive(threeOrders, last + 23 * DAY).lifecycle).toBe('at_risk');
    expect(derive(threeOrders, last + 45 * DAY).lifecycle).toBe('at_risk');
    expect(derive(threeOrders, last + 46 * DAY).lifecycle).toBe('lapsed');
  });

  it('calls a customer won back when the latest order ends a lapse, until they slip again', () => {
    const events = [0, 10, 20, 120].map((d) => order(`w${d}`, D0 + d * DAY, { revenue: 10 }));
    // Gaps 10, 10, 100: the comeback (100) exceeds 3 × 10; the rhythm stays 10 days.
    expect(derive(events, D0 + 125 * DAY).lifecycle).toBe('won_back');
    expect(derive(events, D0 + 136 * DAY).lifecycle).toBe('at_risk');
    const again = [...events, order('w130', D0 + 130 * DAY, { revenue: 10 })];
    expect(derive(again, D0 + 132 * DAY).lifecycle).toBe('active');
  });

  it('uses the workspace default gap for single-order customers, and prospect without orders', () => {
    const one = [order('n1', D0, { revenue: 20 })]; // default gap 30: at risk > 45, lapsed > 90
    expect(derive(one, D0 + 20 * DAY).lifecycle).toBe('new');
    expect(derive(one, D0 + 46 * DAY).lifecycle).toBe('at_risk');
    expect(derive(one, D0 + 91 * DAY).lifecycle).toBe('lapsed');
    const custom = { ...model, default_gap_days: 10 };
    expect(derive(one, D0 + 16 * DAY, custom).lifecycle).toBe('at_risk');
    const browsing = derive([page(D0)], D0 + DAY);
    expect(browsing.lifecycle).toBe('prospect');
    expect(browsing.order_count).toBe(0);
    expect(browsing.aov).toBeNull();
    expect(browsing.days_since_last_order).toBeNull();
  });

  it('never holds anyone to a rhythm faster than min_gap_days', () => {
    const rushed = [order('r1', D0, { revenue: 1 }), order('r2', D0 + DAY, { revenue: 1 })];
    // Median gap 1 day is floored to 7: at risk only after 10.5 days.
    expect(derive(rushed, D0 + 11 * DAY).lifecycle).toBe('active');
    expect(derive(rushed, D0 + 12 * DAY).lifecycle).toBe('at_risk');
  });

  it('counts same-day orders as one purchase occasion for rhythm and lifecycle', () => {
    const t = derive(
      [order('s1', D0, { revenue: 5 }), order('s2', D0 + 2 * HOUR, { revenue: 7 })],
      D0 + DAY,
    );
    expect(t.order_count).toBe(2);
    expect(t.revenue).toBe(12);
    expect(t.typical_days_between_orders).toBeNull();
    expect(t.lifecycle).toBe('new');
  });

  it('de-duplicates by order id (the later report wins), drops cancelled orders, sums refunds', () => {
    const first = order('o1', D0, { revenue: 100 }, 'a');
    const corrected = order('o1', D0 + HOUR, { revenue: 80 }, 'b');
    for (const events of [
      [first, corrected],
      [corrected, first],
    ]) {
      const t = derive(events, D0 + DAY);
      expect([t.order_count, t.revenue, t.last_order_at]).toEqual([1, 80, D0 + HOUR]);
    }
    const t = derive(
      [
        order('o1', D0, { revenue: 100 }),
        order('o2', D0 + DAY, { revenue: 40 }),
        track('Order Cancelled', D0 + 2 * DAY, { order_id: 'o2' }),
        track('Order Refunded', D0 + 3 * DAY, { order_id: 'o1', total: 20 }),
      ],
      D0 + 4 * DAY,
    );
    expect([t.order_count, t.revenue, t.refunded]).toEqual([1, 100, 20]);
  });

  it('counts an order with no usable amount but leaves it out of AOV', () => {
    const t = derive(
      [order('a', D0, { revenue: 30 }), order('b', D0 + DAY, { revenue: 'n/a' })],
      D0 + 2 * DAY,
    );
    expect([t.order_count, t.revenue, t.aov]).toEqual([2, 30, 30]);
  });
});

describe('channels and send time', () => {
  const times = (n: number, name: string, props: Record<string, unknown> = {}) =>
    Array.from({ length: n }, (_, i) =>
      track(name, D0 + i * MINUTE, props, { messageId: `${name}-${i}` }),
    );

  it('prefers the channel with the best smoothed engagement rate', () => {
    const base = [
      ...times(4, 'Email Delivered'),
      ...times(1, 'Email Opened'),
      ...times(2, 'Push Notification Tapped'),
    ];
    // email (1+1)/(4+2) = 0.33, push without deliveries (2+1)/(2+2) = 0.75
    expect(derive(base, D0 + DAY).preferred_channel).toBe('push');
    // push (2+1)/(10+2) = 0.25 once its 10 deliveries are known
    const t = derive([...base, ...times(10, 'Push Notification Received')], D0 + DAY);
    expect(t.preferred_channel).toBe('email');
    expect(t.channel_engagement.push).toEqual({ delivered: 10, opened: 0, clicked: 2 });
    expect(derive([page(D0)], D0).preferred_channel).toBeNull();
  });

  it('reads generic message events by properties.channel and ignores unknown channels', () => {
    const t = derive(
      [
        ...times(2, 'Message Clicked', { channel: 'webhook' }),
        ...times(3, 'Message Opened', { channel: 'fax' }),
      ],
      D0 + DAY,
    );
    expect(t.channel_engagement.webhook).toEqual({ delivered: 0, opened: 0, clicked: 2 });
    expect(t.preferred_channel).toBe('webhook');
  });

  it("picks the send hour in the person's timezone, weighting opens and clicks", () => {
    const paris = { timezone: 'Europe/Paris' };
    const at = (h: number) => Date.UTC(2024, 0, 10, h);
    const t = derive(
      [
        page(at(9), paris, { messageId: 'p1' }), // 10:00 in Paris
        page(at(9) + DAY, paris, { messageId: 'p2' }),
        track('Email Opened', at(17), {}, { context: paris }), // 18:00 in Paris, weight 3
      ],
      at(20),
    );
    expect(t.best_send_hour).toBe(18);
  });

  it('shifts UTC-bucketed events by the offset of the last known timezone', () => {
    const at = (h: number) => Date.UTC(2024, 0, 10, h);
    const events = [
      page(at(14), { timezone: 'America/New_York' }), // 09:00 local, activity
      ...[0, 1].map((i) => track('Email Opened', at(13) + i * DAY, {}, { messageId: `open-${i}` })), // no timezone
    ];
    // Local 08:00 scores 2 × 3 = 6, 09:00 scores 1: smoothed 13 against 8.
    expect(derive(events, at(20)).best_send_hour).toBe(8);
    const utcOnly = events.slice(1);
    expect(derive(utcOnly, at(20)).best_send_hour).toBe(13);
    expect(derive([], at(20)).best_send_hour).toBeNull();
  });
});

describe('sessions, seen and counts', () => {
  it('joins activity within 30 minutes into a session, and a late event bridges two', () => {
    const at = (m: number) => D0 + m * MINUTE;
    const events = [page(at(0)), page(at(20)), page(at(50)), page(at(81))];
    expect(derive(events, at(90)).sessions).toBe(2); // 50 → 81 is 31 minutes
    expect(derive([...events, page(at(66))], at(90)).sessions).toBe(1);
  });

  it('leaves delivery and segment events out of activity but counts them by name', () => {
    const t = derive(
      [
        page(D0),
        identify(D0 + HOUR, { plan: 'pro' }),
        track('Email Delivered', D0 + 5 * HOUR),
        track('Segment Entered', D0 + 6 * HOUR),
        track('__proto__', D0 + 2 * HOUR),
      ],
      D0 + DAY,
    );
    expect([t.first_seen, t.last_seen, t.sessions]).toEqual([D0, D0 + 2 * HOUR, 2]);
    expect(t.event_counts).toEqual(
      Object.fromEntries([
        ['Email Delivered', 1],
        ['Segment Entered', 1],
        ['__proto__', 1],
      ]),
    );
    expect(Object.hasOwn(t.event_counts, '__proto__')).toBe(true);
    expect(t.sessions_last_30d).toBe(2);
    expect(derive([page(D0)], D0 + 31 * DAY).sessions_last_30d).toBe(0);
  });
});

describe('stated traits and context', () => {
  it('merges identify traits by event time, with null unsetting', () => {
    const events = [
      identify(D0 + 2 * HOUR, { plan: 'pro' }),
      identify(D0 + HOUR, { plan: 'free', email: 'a@example.com' }), // older: loses on plan
      identify(D0 + 3 * HOUR, { email: null }),
    ];
    for (const order of [events, [...events].reverse()]) {
      expect(derive(order, D0 + DAY).traits).toEqual({ plan: 'pro' });
    }
  });

  it('breaks a timestamp tie by messageId', () => {
    const a = identify(D0, { plan: 'a' }, { messageId: 'm-a' });
    const b = identify(D0, { plan: 'b' }, { messageId: 'm-b' });
    expect(derive([b, a], D0).traits).toEqual({ plan: 'b' });
    expect(derive([a, b], D0).traits).toEqual({ plan: 'b' });
  });

  it('keeps the last known timezone, device, OS and browser by event time', () => {
    const iphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
    const windows =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0';
    const newer = page(
      D0 + HOUR,
      { timezone: 'europe/paris', userAgent: iphone },
      { messageId: 'n' },
    );
    const older = page(
      D0,
      { timezone: 'America/New_York', userAgent: windows, os: { name: 'Windows' } },
      { messageId: 'o' },
    );
    const t = derive([newer, older], D0 + DAY);
    expect(t.timezone).toBe('Europe/Paris');
    expect([t.os, t.browser]).toEqual(['iOS', 'Safari']);
    expect(t.device).toEqual({ type: 'mobile', manufacturer: null, model: null });
    const sdk = page(D0 + 2 * HOUR, {
      device: { type: 'ios', manufacturer: 'Apple', model: 'iPhone15,2' },
      timezone: 'Nowhere/Atlantis',
    });
    const u = derive([newer, older, sdk], D0 + DAY);
    expect(u.device).toEqual({ type: 'ios', manufacturer: 'Apple', model: 'iPhone15,2' });
    expect(u.timezone).toBe('Europe/Paris'); // an unknown zone is ignored
    expect(derive([older], D0).browser).toBe('Edge');
  });

  it('records the first and last acquisition touch, ignoring internal navigation', () => {
    const t1 = page(D0, {
      page: { url: 'https://shop.test/?utm_source=news&utm_medium=email&utm_campaign=spring' },
    });
    const t2 = page(D0 + DAY, {
      page: { url: 'https://shop.test/x', referrer: 'https://www.google.com/' },
    });
    const t3 = page(D0 + 2 * DAY, {
      page: { url: 'https://shop.test/b', referrer: 'https://shop.test/a' },
    });
    const t = derive([t3, t2, t1], D0 + 3 * DAY);
    expect(t.first_touch).toMatchObject({
      at: D0,
      source: 'news',
      medium: 'email',
      campaign: 'spring',
      referrer: null,
    });
    expect(t.last_touch).toMatchObject({
      at: D0 + DAY,
      source: null,
      referrer: 'https://www.google.com/',
    });
    const campaign = page(D0 + 3 * DAY, { campaign: { source: 'fb', name: 'sale' } });
    expect(derive([t1, campaign], D0 + 4 * DAY).last_touch).toMatchObject({
      source: 'fb',
      campaign: 'sale',
    });
  });
});

describe('RFM scores', () => {
  it('scores against type-7 quintile boundaries, recency reversed', () => {
    const customers = Array.from({ length: 10 }, (_, i) => ({
      recencyDays: (i + 1) * 10,
      frequency: i + 1,
      monetary: (i + 1) * 100,
    }));
    // Quintiles of 1..10 (h = 9q): 2.8, 4.6, 6.4, 8.2
    const b = rfmBoundaries(customers)!;
    expect(b.frequency.map((v) => Number(v.toFixed(10)))).toEqual([2.8, 4.6, 6.4, 8.2]);
    expect(b.recency_days.map((v) => Number(v.toFixed(10)))).toEqual([28, 46, 64, 82]);
    expect(rfmScores(b, { recencyDays: 5, frequency: 10, monetary: 1000 }).code).toBe('555');
    expect(rfmScores(b, { recencyDays: 50, frequency: 5, monetary: 460 }).code).toBe('332');
    expect(rfmScores(b, { recencyDays: 100, frequency: 1, monetary: 0 }).code).toBe('111');
    expect(rfmBoundaries([])).toBeNull();
  });

  it('gives no RFM to people without orders or without a fitted model', () => {
    expect(derive([page(D0)], D0).rfm).toBeNull();
    expect(derive([order('a', D0, { revenue: 1 })], D0).rfm).toBeNull();
    expect(derive([order('a', D0, { revenue: 1 })], D0).clv_12m).toBeNull();
  });
});

it('derives from facts that went through applyEvent one event at a time', () => {
  const facts = [page(D0), order('a', D0 + HOUR, { revenue: 9 })].reduce(applyEvent, emptyFacts());
  expect(deriveTraits(facts, D0 + DAY, model).revenue).toBe(9);
});
