import { describe, expect, it } from 'vitest';
import { compile, evaluate, nextCheckAt } from './compile.js';
import { indexEvents } from './index-events.js';
import type { SegmentDefinition, Subject, SubjectEvent } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 15, 12);

const view = (at: number, category = 'shoes'): SubjectEvent => ({
  type: 'track',
  event: 'Product Viewed',
  timestamp: at,
  properties: { category },
});
const order = (at: number, total = 50): SubjectEvent => ({
  type: 'track',
  event: 'Order Completed',
  timestamp: at,
  properties: { total },
});
const person = (events: SubjectEvent[], traits: Record<string, unknown> = {}): Subject => ({
  traits,
  computed: {},
  events: [...events].sort((a, b) => a.timestamp - b.timestamp),
  segments: new Set(),
});

/** The example: viewed shoes at least twice in the last 7 days, bought nothing in 7 days. */
const SHOE_BROWSERS: SegmentDefinition = {
  all: [
    {
      event: 'Product Viewed',
      where: { 'properties.category': { eq: 'shoes' } },
      count: { gte: 2 },
      within: 'P7D',
    },
    { not: { event: 'Order Completed', within: 'P7D' } },
  ],
};

describe('the shoe browsers example', () => {
  const member = compile(SHOE_BROWSERS);
  const edge = NOW - 7 * DAY; // an event exactly 7 days old has left the window

  it.each<[string, boolean, SubjectEvent[]]>([
    ['no events', false, []],
    ['one view', false, [view(NOW - HOUR)]],
    ['two views just inside the window', true, [view(edge + 1), view(NOW)]],
    ['two views, one exactly 7 days old', false, [view(edge), view(NOW - HOUR)]],
    ['two views, one of hats', false, [view(NOW - 2 * HOUR, 'hats'), view(NOW - HOUR)]],
    [
      'two views, one with no category',
      false,
      [{ ...view(NOW - 2 * HOUR), properties: {} }, view(NOW - HOUR)],
    ],
    [
      'two views and an order exactly 7 days old',
      true,
      [order(edge), view(NOW - 2 * HOUR), view(NOW - HOUR)],
    ],
    [
      'two views and an order just inside the window',
      false,
      [order(edge + 1), view(NOW - 2 * HOUR), view(NOW - HOUR)],
    ],
    [
      'two views and an order after them',
      false,
      [view(NOW - 3 * DAY), view(NOW - 2 * DAY), order(NOW - DAY)],
    ],
    [
      'two views and an order dated in the future',
      true,
      [view(NOW - 2 * HOUR), view(NOW - HOUR), order(NOW + HOUR)],
    ],
    ['one view and one dated in the future', false, [view(NOW - HOUR), view(NOW + HOUR)]],
    [
      'three views in the window',
      true,
      [view(NOW - 5 * DAY), view(NOW - 3 * DAY), view(NOW - DAY)],
    ],
  ])('%s → %s', (_what, expected, events) => {
    expect(member(person(events), NOW)).toBe(expected);
  });

  it('follows a person through the week: enters on the second view, exits when a view ages out', () => {
    const s = person([view(NOW - 3 * DAY), view(NOW - 2 * DAY)]);
    expect(member(s, NOW - 2 * DAY - 1)).toBe(false);
    expect(member(s, NOW - 2 * DAY)).toBe(true);
    expect(member(s, NOW + 4 * DAY - 1)).toBe(true);
    expect(member(s, NOW + 4 * DAY)).toBe(false);
    expect(member.nextCheckAt(s, NOW)).toBe(NOW + 4 * DAY);
  });

  it('exits when the person buys, and comes back when the order leaves the window', () => {
    const s = person([
      view(NOW - 2 * HOUR),
      view(NOW - HOUR),
      order(NOW),
      view(NOW + DAY),
      view(NOW + DAY + 1),
    ]);
    expect(member(s, NOW - 1)).toBe(true);
    expect(member(s, NOW)).toBe(false);
    expect(member(s, NOW + 7 * DAY - 1)).toBe(false);
    expect(member(s, NOW + 7 * DAY)).toBe(true);
    // The future views arrive first but change nothing while the order holds it down.
    expect(member.nextCheckAt(s, NOW)).toBe(NOW + 7 * DAY);
  });

  it('gives the same answers with events indexed by name', () => {
    const events = [
      view(NOW - 3 * DAY),
      order(NOW - 8 * DAY),
      view(NOW - DAY, 'hats'),
      view(NOW - HOUR),
    ];
    const plain = person(events);
    const indexed = { ...plain, eventsByName: indexEvents(plain.events) };
    for (const t of [NOW - 4 * DAY, NOW - DAY, NOW, NOW + 4 * DAY]) {
      expect(member(indexed, t)).toBe(member(plain, t));
      expect(member.nextCheckAt(indexed, t)).toBe(member.nextCheckAt(plain, t));
    }
  });
});

describe('event conditions', () => {
  const orders = [
    order(NOW - 100 * DAY, 20),
    order(NOW - 40 * DAY, 80),
    order(NOW - 10 * DAY, 120),
  ];
  const s = person([...orders, view(NOW - DAY)]);
  const holds = (d: SegmentDefinition, at = NOW) => evaluate(d, s, at);

  it('counts all time without within', () => {
    expect(holds({ event: 'Order Completed', count: { eq: 3 } })).toBe(true);
    expect(holds({ event: 'Order Completed', count: { gt: 3 } })).toBe(false);
    expect(holds({ event: 'Order Completed', count: { between: [2, 3] } })).toBe(true);
    expect(holds({ event: 'Order Completed', count: { lt: 3 } })).toBe(false);
    expect(holds({ event: 'Order Completed', count: { neq: 3 } })).toBe(false);
    expect(holds({ event: 'Order Completed' })).toBe(true);
    expect(holds({ event: 'Refund Issued' })).toBe(false);
    expect(holds({ event: 'Refund Issued', count: { eq: 0 } })).toBe(true);
    expect(holds({ event: 'order completed' })).toBe(false);
  });

  it('counts within a window', () => {
    expect(holds({ event: 'Order Completed', within: 'P30D', count: { eq: 1 } })).toBe(true);
    expect(holds({ event: 'Order Completed', within: 'P40D', count: { eq: 1 } })).toBe(true);
    expect(holds({ event: 'Order Completed', within: 'P40DT1S', count: { eq: 2 } })).toBe(true);
  });

  it('filters with where', () => {
    expect(
      holds({
        event: 'Order Completed',
        where: { 'properties.total': { gte: 80 } },
        count: { eq: 2 },
      }),
    ).toBe(true);
    expect(holds({ event: 'Order Completed', where: { 'properties.total': { gt: 500 } } })).toBe(
      false,
    );
    expect(
      holds({
        event: 'Order Completed',
        where: { type: { eq: 'track' }, 'properties.total': { lt: 50 } },
      }),
    ).toBe(true);
    expect(
      holds({
        event: 'Order Completed',
        where: { 'properties.total': { gte: 80 }, 'properties.coupon': { exists: true } },
      }),
    ).toBe(false);
    expect(holds({ event: 'Order Completed', where: { 'context.ip': { exists: true } } })).toBe(
      false,
    );
  });

  it('has not performed X for 60 days', () => {
    const lapsed: SegmentDefinition = { not: { event: 'Order Completed', within: 'P60D' } };
    expect(holds(lapsed)).toBe(false);
    expect(holds(lapsed, NOW + 50 * DAY - 1)).toBe(false);
    expect(holds(lapsed, NOW + 50 * DAY)).toBe(true);
    expect(evaluate(lapsed, person([]), NOW)).toBe(true); // never ordered
    // Performed before, but not in the last 60 days (never-buyers excluded):
    const wonOnce: SegmentDefinition = {
      event: 'Order Completed',
      last: { more_than_ago: 'P60D' },
    };
    expect(holds(wonOnce, NOW + 50 * DAY)).toBe(true);
    expect(evaluate(wonOnce, person([]), NOW)).toBe(false);
  });

  it('first and last performed', () => {
    const firstIn = (from: string, to: string): SegmentDefinition => ({
      event: 'Order Completed',
      first: { between: [from, to] },
    });
    // The first order was 100 days before NOW: 5 December 2025, noon.
    expect(holds(firstIn('2025-12-01', '2025-12-31'))).toBe(true);
    expect(holds(firstIn('2026-01-01', '2026-03-31'))).toBe(false);
    expect(holds({ event: 'Order Completed', first: { before: '2025-12-05T12:00:01Z' } })).toBe(
      true,
    );
    expect(holds({ event: 'Order Completed', first: { after: '2025-12-05T12:00:00Z' } })).toBe(
      false,
    );
    expect(holds({ event: 'Order Completed', first: { within_last: 'P100D' } })).toBe(false);
    expect(holds({ event: 'Order Completed', first: { within_last: 'P100DT1S' } })).toBe(true);
    expect(holds({ event: 'Order Completed', last: { within_last: 'P11D' } })).toBe(true);
    expect(holds({ event: 'Order Completed', last: { after: '2026-03-10' } })).toBe(false);
    // Ordered at least twice, first in December:
    expect(
      holds({ event: 'Order Completed', first: { before: '2026-01-01' }, count: { gte: 2 } }),
    ).toBe(true);
    expect(
      holds({ event: 'Order Completed', first: { before: '2026-01-01' }, count: { gte: 4 } }),
    ).toBe(false);
  });

  it('counts a future-dated event only once its time comes', () => {
    const later = person([order(NOW + HOUR)]);
    expect(evaluate({ event: 'Order Completed' }, later, NOW)).toBe(false);
    expect(evaluate({ event: 'Order Completed' }, later, NOW + HOUR)).toBe(true);
    expect(evaluate({ event: 'Order Completed', last: { within_last: 'P1D' } }, later, NOW)).toBe(
      false,
    );
    expect(nextCheckAt({ event: 'Order Completed' }, later, NOW)).toBe(NOW + HOUR);
  });

  it('matches page and screen names', () => {
    const pages = person([
      {
        type: 'page',
        event: 'Pricing',
        timestamp: NOW - HOUR,
        properties: {},
        context: { page: { path: '/pricing' } },
      },
    ]);
    expect(evaluate({ event: 'Pricing', where: { type: { eq: 'page' } } }, pages, NOW)).toBe(true);
    expect(
      evaluate(
        { event: 'Pricing', where: { 'context.page.path': { starts_with: '/pri' } } },
        pages,
        NOW,
      ),
    ).toBe(true);
    expect(evaluate({ event: 'Pricing', where: { type: { eq: 'screen' } } }, pages, NOW)).toBe(
      false,
    );
  });
});

describe('nextCheckAt', () => {
  const at = (d: SegmentDefinition, s: Subject) => nextCheckAt(d, s, NOW);

  it('follows date traits across within_last and more_than_ago', () => {
    const s = person([], { seen: NOW - 2 * DAY, soon: new Date(NOW + HOUR).toISOString() });
    expect(at({ trait: 'seen', within_last: 'P7D' }, s)).toBe(NOW + 5 * DAY);
    expect(at({ trait: 'seen', more_than_ago: 'P7D' }, s)).toBe(NOW + 5 * DAY);
    expect(at({ trait: 'soon', within_last: 'P7D' }, s)).toBe(NOW + HOUR);
    expect(at({ trait: 'seen', more_than_ago: 'P1D' }, s)).toBeNull();
    expect(at({ trait: 'seen', before: '2030-01-01' }, s)).toBeNull();
    expect(at({ trait: 'missing', within_last: 'P7D' }, s)).toBeNull();
  });

  it('follows anniversaries', () => {
    const s = person([], { birthday: '1990-03-20' });
    // 13 March 00:00 UTC, seven days before the 20th, has passed: the window closes at the end of the 20th.
    expect(at({ trait: 'birthday', anniversary_within: 7 }, s)).toBe(Date.UTC(2026, 2, 21));
    expect(at({ trait: 'birthday', anniversary_within: 3 }, s)).toBe(Date.UTC(2026, 2, 17));
  });

  it('finds when a count crosses its threshold, not merely when some event ages', () => {
    const s = person([5, 4, 3, 2, 1].map((d) => view(NOW - d * DAY)));
    // Five views in the window; the count drops below 2 when the fourth one leaves, at day 4+.
    expect(at({ event: 'Product Viewed', count: { gte: 2 }, within: 'P7D' }, s)).toBe(
      NOW + 5 * DAY,
    );
    expect(at({ event: 'Product Viewed', count: { gte: 5 }, within: 'P7D' }, s)).toBe(
      NOW + 2 * DAY,
    );
    expect(at({ event: 'Product Viewed', count: { lte: 3 }, within: 'P7D' }, s)).toBe(
      NOW + 3 * DAY,
    );
    expect(at({ event: 'Product Viewed', count: { gte: 2 } }, s)).toBeNull();
  });

  it('follows first and last', () => {
    const s = person([order(NOW - 29 * DAY), order(NOW - 10 * DAY)]);
    expect(at({ event: 'Order Completed', first: { within_last: 'P30D' } }, s)).toBe(NOW + DAY);
    expect(at({ event: 'Order Completed', last: { more_than_ago: 'P60D' } }, s)).toBe(
      NOW + 50 * DAY,
    );
    expect(at({ event: 'Order Completed', first: { before: '2027-01-01' } }, s)).toBeNull();
  });

  it('is null when a false condition that never changes holds an all down', () => {
    const s = person([view(NOW - DAY), view(NOW - HOUR)], { plan: 'free' });
    const browsersOnPro: SegmentDefinition = {
      all: [
        { trait: 'plan', eq: 'pro' },
        { event: 'Product Viewed', count: { gte: 2 }, within: 'P7D' },
      ],
    };
    expect(at(browsersOnPro, s)).toBeNull();
    expect(at({ any: [{ trait: 'plan', eq: 'free' }, browsersOnPro.all[1]!] }, s)).toBeNull();
    expect(at({ not: browsersOnPro.all[1]! }, s)).toBe(NOW + 6 * DAY);
  });
});

describe('compile', () => {
  it('refuses an invalid definition with the path of each problem', () => {
    const invalid = { all: [{ trait: 'plan' }, { event: 'X', within: 'P1M' }] };
    // Cast: invalid on purpose: compile must refuse what the types would have refused.
    const bad = invalid as unknown as SegmentDefinition;
    expect(() => compile(bad)).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        details: [
          { path: 'all.0', problem: expect.stringContaining('has no operator') },
          { path: 'all.1.within', problem: expect.stringContaining('months and years') },
        ],
      }),
    );
  });
});
