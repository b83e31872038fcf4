import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CoOccurrenceModel } from './co-occurrence.js';
import { pairSimilarity } from './co-occurrence.js';
import { Recommender } from './recommender.js';
import type { Interaction } from './schemas.js';
import { HOUR, T0, basket, item, ix } from '../../test/factories/recommend.js';
import { train } from './train.js';

const catalog = ['a', 'b', 'c', 'd'].map((id) => item(id));
// Five baskets (u3 comes back two hours later: a new session):
//   u1 {a,b,c}  u2 {a,b}  u3 {a,c}  u3 {b,d}  u4 {b,d}
// Items in baskets: a 3, b 4, c 2, d 2.  Pairs: ab 2, ac 2, bc 1, bd 2, ad 0, cd 0.
const log: Interaction[] = [
  ...basket('u1', ['a', 'b', 'c']),
  ...basket('u2', ['a', 'b']),
  ...basket('u3', ['a', 'c']),
  ...basket('u3', ['b', 'd'], T0 + 2 * HOUR),
  ...basket('u4', ['b', 'd']),
];

function pairs(m: CoOccurrenceModel): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < m.itemIds.length; i++) {
    for (let p = m.rowPtr[i]!; p < m.rowPtr[i + 1]!; p++) {
      const [x, y] = [m.itemIds[i]!, m.itemIds[m.cols[p]!]!];
      if (x < y) out[x + y] = m.counts[p]!;
    }
  }
  return out;
}

const plain = { strategy: 'bought_together', shrinkage: 0 } as const;

describe('bought together', () => {
  it('counts baskets and pairs per session', () => {
    const m = train(plain, log, catalog, T0) as CoOccurrenceModel;
    expect(m.baskets).toBe(5);
    expect(Object.fromEntries(m.itemIds.map((id, i) => [id, m.itemCounts[i]]))).toEqual({
      a: 3,
      b: 4,
      c: 2,
      d: 2,
    });
    expect(pairs(m)).toEqual({ ab: 2, ac: 2, bc: 1, bd: 2 });
  });

  it('makes one basket per person in user scope', () => {
    const m = train({ ...plain, scope: 'user' }, log, catalog, T0) as CoOccurrenceModel;
    expect(m.baskets).toBe(4);
    expect(pairs(m)).toEqual({ ab: 3, ac: 2, ad: 1, bc: 2, bd: 2, cd: 1 });
  });

  it.each([
    // similarity, shrinkage, sim(a,b), sim(a,c) from counts ab = ac = 2, a 3, b 4, c 2, N 5
    ['cosine', 0, 2 / Math.sqrt(12), 2 / Math.sqrt(6)],
    ['cosine', 5, (2 / Math.sqrt(12)) * (2 / 7), (2 / Math.sqrt(6)) * (2 / 7)],
    ['jaccard', 0, 2 / (3 + 4 - 2), 2 / (3 + 2 - 2)],
    ['lift', 0, (5 * 2) / 12, (5 * 2) / 6],
  ] as const)('ranks by %s similarity with shrinkage %d', (similarity, shrinkage, ab, ac) => {
    const m = train({ ...plain, similarity, shrinkage }, log, catalog, T0);
    const rec = new Recommender({ catalog, models: [m] });
    const res = rec.recommend(
      { strategy: 'bought_together', itemId: 'a', limit: 4, fill: false },
      T0,
    );
    expect(res.items.map((i) => [i.itemId, i.score])).toEqual([
      ['c', expect.closeTo(ac, 12)],
      ['b', expect.closeTo(ab, 12)],
    ]);
    expect(res.items[0]!.reason).toEqual({
      code: 'bought_together',
      text: 'Often bought with Item a',
      itemId: 'a',
    });
  });

  it('sums over the cart and names the seed that contributes most', () => {
    const rec = new Recommender({ catalog, models: [train(plain, log, catalog, T0)] });
    // From a: b 2/√12 ≈ 0.577, c 2/√6 ≈ 0.816. From d: b 2/√8 ≈ 0.707.
    const res = rec.recommend(
      { strategy: 'bought_together', cart: ['a', 'd'], limit: 4, fill: false },
      T0,
    );
    expect(res.items.map((i) => [i.itemId, i.score])).toEqual([
      ['b', expect.closeTo(2 / Math.sqrt(12) + 2 / Math.sqrt(8), 12)],
      ['c', expect.closeTo(2 / Math.sqrt(6), 12)],
    ]);
    expect(res.items[0]!.reason.itemId).toBe('d');
  });

  it('drops pairs seen fewer than minCount times', () => {
    const rec = new Recommender({
      catalog,
      models: [train({ ...plain, minCount: 2 }, log, catalog, T0)],
    });
    const res = rec.recommend(
      { strategy: 'bought_together', itemId: 'c', limit: 4, fill: false },
      T0,
    );
    expect(res.items.map((i) => i.itemId)).toEqual(['a']); // bc (1) is gone
  });

  it('computes similarity from counts', () => {
    const cfg = { similarity: 'cosine', shrinkage: 1, minCount: 1 } as const;
    expect(pairSimilarity(cfg, 3, 4, 9, 10)).toBeCloseTo((3 / 6) * (3 / 4), 12);
    expect(pairSimilarity({ ...cfg, minCount: 4 }, 3, 4, 9, 10)).toBe(0);
  });

  it('words viewed-together explanations', () => {
    const views = log.map((x) => ({ ...x, kind: 'view' as const }));
    const rec = new Recommender({
      catalog,
      models: [train({ strategy: 'viewed_together' }, views, catalog, T0)],
    });
    const res = rec.recommend({ strategy: 'viewed_together', itemId: 'b', limit: 1 }, T0);
    expect(res.items[0]).toMatchObject({
      itemId: 'd',
      reason: { text: 'Often viewed with Item b' },
    });
  });

  const arbitraryLog = fc
    .array(
      fc.record({
        user: fc.constantFrom('u1', 'u2', 'u3'),
        item: fc.constantFrom('a', 'b', 'c', 'd'),
        dt: fc.constantFrom(0, 5, 20, 45, 120), // minutes: some gaps close a 30-minute session
      }),
      { minLength: 1, maxLength: 40 },
    )
    .map((steps) => {
      let t = T0;
      return steps.map((s) => {
        t += s.dt * 60_000;
        return ix(s.user, s.item, t);
      });
    });

  it.each(['session', 'user'] as const)(
    'observing in time order equals retraining (%s scope, property)',
    (scope) => {
      fc.assert(
        fc.property(arbitraryLog, fc.nat(), (all, cut) => {
          const k = cut % (all.length + 1);
          const config = { ...plain, scope };
          const end = all[all.length - 1]!.timestamp;
          const incremental = new Recommender({
            catalog,
            models: [train(config, all.slice(0, k), catalog, T0)],
          });
          for (const x of all.slice(k)) incremental.observe(x);
          const batch = new Recommender({ catalog, models: [train(config, all, catalog, end)] });
          for (const seed of ['a', 'b', 'c', 'd']) {
            const req = { strategy: 'bought_together', itemId: seed, limit: 4, fill: false };
            const got = incremental.recommend(req, end).items.map((i) => [i.itemId, i.score]);
            const want = batch.recommend(req, end).items.map((i) => [i.itemId, i.score]);
            expect(got.map(([id]) => id).sort()).toEqual(want.map(([id]) => id).sort());
            const wantBy = Object.fromEntries(want) as Record<string, number>;
            for (const [id, s] of got) expect(s).toBeCloseTo(wantBy[id as string]!, 12);
          }
        }),
        { numRuns: 150 },
      );
    },
  );
});
