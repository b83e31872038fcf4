import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kthLargest, type EaseModel } from './ease.js';
import { buildFeedbackTable } from './feedback.js';
import { Recommender } from './recommender.js';
import { mulberry32 } from '../shared/index.js';
import { DAY, T0, basket, item, ix } from '../../test/factories/recommend.js';
import { train } from './train.js';

/** B as a dense map "from→to" for readable assertions. */
function denseB(m: EaseModel): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < m.itemIds.length; i++) {
    for (let p = m.rowPtr[i]!; p < m.rowPtr[i + 1]!; p++) {
      out.set(`${m.itemIds[i]}→${m.itemIds[m.cols[p]!]}`, m.weights[p]!);
    }
  }
  return out;
}

const exact = {
  strategy: 'personalized',
  algorithm: 'ease',
  lambda: 1,
  minSupport: 1,
  topK: null,
  halfLifeDays: null,
} as const;

describe('EASE', () => {
  // Four people, three items:      a  b  c
  //   u1 bought a, b               1  1  0
  //   u2 bought a, b, c            1  1  1
  //   u3 bought b, c               0  1  1
  //   u4 bought a                  1  0  0
  // G = XᵀX = [[3,2,1],[2,3,2],[1,2,2]]; with λ = 1, G + I = [[4,2,1],[2,4,2],[1,2,3]],
  // det = 24, adjugate [[8,-4,0],[-4,11,-6],[0,-6,12]], so P = adj / 24 and
  // B_ij = −P_ij / P_jj: B_ab = 4/11, B_ac = 0, B_ba = 1/2, B_bc = 1/2, B_ca = 0, B_cb = 6/11.
  const interactions = [
    ...basket('u1', ['a', 'b']),
    ...basket('u2', ['a', 'b', 'c']),
    ...basket('u3', ['b', 'c']),
    ...basket('u4', ['a']),
  ];
  const catalog = ['a', 'b', 'c'].map((id) => item(id));

  it('solves the 3×3 closed form computed by hand', () => {
    const m = train(exact, interactions, catalog, T0) as EaseModel;
    expect(m.kind).toBe('ease');
    const b = denseB(m);
    expect(b.get('a→b')).toBeCloseTo(4 / 11, 6);
    expect(b.get('a→c')).toBeCloseTo(0, 6);
    expect(b.get('b→a')).toBeCloseTo(1 / 2, 6);
    expect(b.get('b→c')).toBeCloseTo(1 / 2, 6);
    expect(b.get('c→a')).toBeCloseTo(0, 6);
    expect(b.get('c→b')).toBeCloseTo(6 / 11, 6);
    expect(b.has('a→a')).toBe(false);
  });

  it('scores a person as x·B and explains with the biggest contributor', () => {
    const bundle = [
      train({ strategy: 'history' }, interactions, catalog, T0),
      train(exact, interactions, catalog, T0),
    ];
    const rec = new Recommender({ catalog, models: bundle });
    // u4 has only a: scores b = 4/11, c = 0 (not positive, so not a candidate).
    const res = rec.recommend(
      { userId: 'u4', strategy: 'personalized', limit: 1, fill: false },
      T0,
    );
    expect(res.items).toEqual([
      {
        itemId: 'b',
        title: 'Item b',
        score: expect.closeTo(4 / 11, 6),
        strategy: 'personalized',
        reason: { code: 'because_bought', text: 'Because you bought Item a', itemId: 'a' },
      },
    ]);
    // An anonymous visitor who viewed c (weight 0.25): b scores 0.25 · 6/11.
    const anon = rec.recommend(
      { history: [{ itemId: 'c', kind: 'view' }], strategy: 'personalized', limit: 1, fill: false },
      T0,
    );
    expect(anon.items[0]).toMatchObject({
      itemId: 'b',
      score: expect.closeTo(0.25 * (6 / 11), 6),
      reason: { code: 'because_viewed', text: 'Because you viewed Item c' },
    });
  });

  it('scores from the maxHistory strongest history items only', () => {
    const models = [train({ ...exact, maxHistory: 1 }, interactions, catalog, T0)];
    const rec = new Recommender({ catalog, models });
    const history = [
      { itemId: 'a', kind: 'purchase' as const },
      { itemId: 'c', kind: 'view' as const },
    ];
    // Only a (strength 1) counts, not c (0.25): b = 4/11 rather than 4/11 + 0.25 · 6/11.
    const res = rec.recommend({ history, strategy: 'personalized', limit: 1, fill: false }, T0);
    expect(res.items[0]).toMatchObject({ itemId: 'b', score: expect.closeTo(4 / 11, 6) });
  });

  it('keeps only the topK strongest weights of each row', () => {
    const m = train({ ...exact, topK: 1 }, interactions, catalog, T0) as EaseModel;
    const b = denseB(m);
    expect(b.size).toBe(3);
    expect(b.get('a→b')).toBeCloseTo(4 / 11, 6);
    expect(b.get('c→b')).toBeCloseTo(6 / 11, 6);
    // Row b ties (b→a = b→c = 1/2 up to rounding): either is right, exactly one is kept.
    const rowB = [...b].filter(([k]) => k.startsWith('b→'));
    expect(rowB).toHaveLength(1);
    expect(rowB[0]![1]).toBeCloseTo(1 / 2, 6);
  });

  it('leaves out items below minSupport', () => {
    const m = train({ ...exact, minSupport: 3 }, interactions, catalog, T0) as EaseModel;
    expect(m.itemIds).toEqual(['a', 'b']); // c has two buyers
  });

  it('matches a Gauss-Jordan reference on random data', () => {
    const rng = mulberry32(7);
    const xs = [];
    for (let u = 0; u < 60; u++) {
      for (let i = 0; i < 15; i++)
        if (rng() < 0.3) xs.push(ix(`u${u}`, `i${i}`, T0 - Math.floor(rng() * 90) * DAY));
    }
    const config = { ...exact, lambda: 2.5, halfLifeDays: 30 };
    const m = train(config, xs, [], T0) as EaseModel;
    // Reference: dense X with the same decayed weights, G + λI inverted by Gauss-Jordan.
    const t = buildFeedbackTable(xs);
    const n = m.itemIds.length;
    const col = new Map(m.itemIds.map((id, k) => [id, k]));
    const g = new Float64Array(n * n);
    for (let u = 0; u < t.userIds.length; u++) {
      const row: [number, number][] = [];
      for (let r = t.userPtr[u]!; r < t.userPtr[u + 1]!; r++) {
        const x = Math.pow(2, -(T0 - t.lastPurchase[r]!) / (30 * DAY));
        row.push([col.get(t.itemIds[t.item[r]!]!)!, x]);
      }
      for (const [a, xa] of row) for (const [b, xb] of row) g[a * n + b]! += xa * xb;
    }
    for (let i = 0; i < n; i++) g[i * n + i]! += 2.5;
    const p = gaussJordan(g, n);
    const b = denseB(m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const want = -p[i * n + j]! / p[j * n + j]!;
        expect(b.get(`${m.itemIds[i]}→${m.itemIds[j]}`)).toBeCloseTo(want, 5);
      }
    }
  });
});

function gaussJordan(a: Float64Array, n: number): Float64Array {
  const m = a.slice();
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    const d = m[c * n + c]!;
    for (let k = 0; k < n; k++) {
      m[c * n + k]! /= d;
      inv[c * n + k]! /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      for (let k = 0; k < n; k++) {
        m[r * n + k]! -= f * m[c * n + k]!;
        inv[r * n + k]! -= f * inv[c * n + k]!;
      }
    }
  }
  return inv;
}

describe('kthLargest', () => {
  it('agrees with sorting (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        (xs, r) => {
          const k = (r % xs.length) + 1;
          const sorted = [...xs].sort((a, b) => b - a);
          expect(kthLargest(Float64Array.from(xs), k)).toBe(sorted[k - 1]);
        },
      ),
    );
  });
});
