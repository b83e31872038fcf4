import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PopularityModel } from './popularity.js';
import { Recommender } from './recommender.js';
import type { Interaction } from './schemas.js';
import { DAY, HOUR, T0, item, ix } from '../../test/factories/recommend.js';
import { train } from './train.js';

const catalog = [
  item('a', { categories: ['Shoes'] }),
  item('b', { categories: ['Shoes'] }),
  item('c', { categories: ['Hats'] }),
];
// Half-life one day; weights view 0.25, cart 0.5, purchase 1.
const interactions = [
  ix('u1', 'a', T0 - DAY, 'purchase'), // 1 · 2⁻¹ = 0.5
  ix('u1', 'a', T0, 'view'), //          0.25: u1's strongest signal on a stays 0.5
  ix('u2', 'a', T0, 'view'), //          0.25        → a = 0.75 (users), 1.0 (interactions)
  ix('u3', 'b', T0 - 2 * DAY, 'purchase'), // 0.25
  ix('u3', 'b', T0 - 2 * DAY, 'purchase'), // again:   → b = 0.25 (users), 0.5 (interactions)
  ix('u4', 'c', T0, 'cart'), //          0.5         → c = 0.5
];

function scores(rec: Recommender, req: Parameters<Recommender['recommend']>[0], now = T0) {
  return Object.fromEntries(
    rec.recommend({ limit: 10, fill: false, ...req }, now).items.map((i) => [i.itemId, i.score]),
  );
}

describe('popular and trending', () => {
  it('counts each person once per item by default, with time decay', () => {
    const m = train(
      { strategy: 'popular', halfLifeDays: 1 },
      interactions,
      catalog,
      T0,
    ) as PopularityModel;
    const rec = new Recommender({ catalog, models: [m] });
    const res = rec.recommend({ strategy: 'popular', limit: 3, fill: false }, T0);
    expect(res.items.map((i) => [i.itemId, i.score])).toEqual([
      ['a', expect.closeTo(0.75, 12)],
      ['c', expect.closeTo(0.5, 12)],
      ['b', expect.closeTo(0.25, 12)],
    ]);
    // A day later every score has halved; the order is unchanged.
    expect(scores(rec, { strategy: 'popular' }, T0 + DAY)).toEqual({
      a: expect.closeTo(0.375, 12),
      c: expect.closeTo(0.25, 12),
      b: expect.closeTo(0.125, 12),
    });
  });

  it('counts every interaction in interactions mode', () => {
    const m = train(
      { strategy: 'popular', halfLifeDays: 1, count: 'interactions' },
      interactions,
      catalog,
      T0,
    );
    const rec = new Recommender({ catalog, models: [m] });
    const res = rec.recommend({ strategy: 'popular', limit: 3, fill: false }, T0);
    // a = 0.5 + 0.25 + 0.25; b = c = 0.5, tied: catalog order.
    expect(res.items.map((i) => [i.itemId, i.score])).toEqual([
      ['a', expect.closeTo(1, 12)],
      ['b', expect.closeTo(0.5, 12)],
      ['c', expect.closeTo(0.5, 12)],
    ]);
  });

  it('restricts to a set of people (a segment) and says so', () => {
    const m = train(
      { strategy: 'popular', name: 'popular_vip', halfLifeDays: 7, userIds: ['u3', 'u4'] },
      interactions,
      catalog,
      T0,
    );
    const rec = new Recommender({ catalog, models: [m] });
    const res = rec.recommend({ strategy: 'popular_vip', limit: 3, fill: false }, T0);
    // With a week's half-life: b = 2^(−2/7) ≈ 0.82 (bought two days ago), c = 0.5 (cart).
    expect(res.items.map((i) => [i.itemId, i.score])).toEqual([
      ['b', expect.closeTo(Math.pow(2, -2 / 7), 12)],
      ['c', expect.closeTo(0.5, 12)],
    ]);
    expect(res.items[0]!.reason).toEqual({
      code: 'popular',
      text: 'Popular with customers like you this week',
    });
  });

  it('explains by window and category', () => {
    const models = [
      train({ strategy: 'popular', halfLifeDays: 7 }, interactions, catalog, T0),
      train({ strategy: 'trending' }, interactions, catalog, T0),
    ];
    const rec = new Recommender({ catalog, models });
    const inShoes = rec.recommend({ strategy: 'popular', category: 'Shoes', limit: 2 }, T0);
    expect(inShoes.items.map((i) => i.itemId)).toEqual(['a', 'b']);
    expect(inShoes.items[0]!.reason.text).toBe('Popular in Shoes this week');
    expect(rec.recommend({ strategy: 'popular', limit: 1 }, T0).items[0]!.reason.text).toBe(
      'Popular this week',
    );
    expect(rec.recommend({ strategy: 'trending', limit: 1 }, T0).items[0]!.reason.text).toBe(
      'Trending now',
    );
    expect(
      rec.recommend({ strategy: 'trending', category: 'Hats', limit: 1 }, T0).items[0]!.reason.text,
    ).toBe('Trending in Hats');
    const allTime = new Recommender({
      catalog,
      models: [train({ strategy: 'popular', halfLifeDays: null }, interactions, catalog, T0)],
    });
    expect(allTime.recommend({ strategy: 'popular', limit: 1 }, T0).items[0]!.reason.text).toBe(
      'Popular with our customers',
    );
  });

  const arbitraryLog = fc
    .array(
      fc.record({
        user: fc.constantFrom('u1', 'u2', 'u3'),
        item: fc.constantFrom('a', 'b', 'c'),
        dt: fc.integer({ min: 0, max: 48 }),
        kind: fc.constantFrom('view' as const, 'cart' as const, 'purchase' as const),
      }),
      { minLength: 1, maxLength: 30 },
    )
    .map((steps) => {
      let t = T0;
      return steps.map((s): Interaction => {
        t += s.dt * HOUR;
        return ix(s.user, s.item, t, s.kind);
      });
    });

  it.each(['users', 'interactions'] as const)(
    'observing interactions one by one equals retraining on all of them (%s)',
    (count) => {
      fc.assert(
        fc.property(arbitraryLog, fc.nat(), (log, cut) => {
          const k = cut % (log.length + 1);
          const prefix = log.slice(0, k);
          const end = log[log.length - 1]!.timestamp;
          const trainedAt = prefix.length ? prefix[prefix.length - 1]!.timestamp : T0;
          const config = { strategy: 'popular' as const, halfLifeDays: 1, count };
          const incremental = new Recommender({
            catalog,
            models: [
              train({ strategy: 'history' }, prefix, catalog, trainedAt),
              train(config, prefix, catalog, trainedAt),
            ],
          });
          for (const x of log.slice(k)) incremental.observe(x);
          const batch = new Recommender({
            catalog,
            models: [
              train({ strategy: 'history' }, log, catalog, end),
              train(config, log, catalog, end),
            ],
          });
          const got = scores(incremental, { strategy: 'popular' }, end);
          const want = scores(batch, { strategy: 'popular' }, end);
          expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
          for (const id of Object.keys(want)) expect(got[id]).toBeCloseTo(want[id]!, 9);
        }),
        { numRuns: 100 },
      );
    },
  );
});
