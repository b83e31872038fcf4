import { describe, expect, it } from 'vitest';
import { foldIn, type AlsModel } from './als.js';
import { Recommender } from './recommender.js';
import type { Interaction } from './schemas.js';
import { T0, basket, item } from '../../test/factories/recommend.js';
import { train } from './train.js';

// Two tastes: people buy within {a,b,c} or within {d,e,f}.
const catalog = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => item(id));
const log: Interaction[] = [];
for (let u = 0; u < 20; u++) {
  const group = u % 2 === 0 ? ['a', 'b', 'c'] : ['d', 'e', 'f'];
  log.push(
    ...basket(
      `u${u}`,
      group.filter((_, k) => k !== u % 3),
    ),
  );
}
// Two factors for two tastes; with more, a one-item person is fitted mostly to that item.
const als = {
  strategy: 'personalized',
  algorithm: 'als',
  minSupport: 1,
  als: { factors: 2, iterations: 30, regularization: 1 },
} as const;

describe('implicit ALS', () => {
  it('recommends within a person’s taste and explains with their item', () => {
    const models = [train({ strategy: 'history' }, log, catalog, T0), train(als, log, catalog, T0)];
    expect(models[1]!.kind).toBe('als');
    const rec = new Recommender({ catalog, models });
    const res = rec.recommend(
      {
        history: [{ itemId: 'a', kind: 'purchase' }],
        strategy: 'personalized',
        limit: 2,
        fill: false,
      },
      T0,
    );
    expect(res.items.map((i) => i.itemId).sort()).toEqual(['b', 'c']);
    expect(res.items[0]!.reason).toMatchObject({ code: 'because_bought', itemId: 'a' });
  });

  it('is deterministic for a seed', () => {
    const a = train(als, log, catalog, T0) as AlsModel;
    const b = train(als, log, catalog, T0) as AlsModel;
    expect(a.itemFactors).toEqual(b.itemFactors);
  });

  it('folds a person in by solving the ALS normal equations exactly', () => {
    const m = train(als, log, catalog, T0) as AlsModel;
    const f = m.factors;
    const hist = [
      { item: 0, x: 1 },
      { item: 2, x: 0.5 },
    ];
    const u = foldIn(m, hist);
    // (YᵀY + λI + Σ α x_i y_i y_iᵀ) u = Σ (1 + α x_i) y_i, checked by multiplying out.
    const { alpha, regularization } = m.config.als;
    for (let p = 0; p < f; p++) {
      let lhs = regularization * u[p]!;
      for (let q = 0; q < f; q++) lhs += m.gram[p * f + q]! * u[q]!;
      let rhs = 0;
      for (const { item: i, x } of hist) {
        const y = (k: number) => m.itemFactors[i * f + k]!;
        let dot = 0;
        for (let q = 0; q < f; q++) dot += y(q) * u[q]!;
        lhs += alpha * x * dot * y(p);
        rhs += (1 + alpha * x) * y(p);
      }
      expect(lhs).toBeCloseTo(rhs, 6);
    }
  });

  it('is chosen automatically above maxEaseItems, EASE below', () => {
    const auto = { strategy: 'personalized', minSupport: 1, als: { factors: 4 } } as const;
    expect(train({ ...auto, maxEaseItems: 5 }, log, catalog, T0).kind).toBe('als');
    expect(train({ ...auto, maxEaseItems: 6 }, log, catalog, T0).kind).toBe('ease');
  });
});
