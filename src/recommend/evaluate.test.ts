import { describe, expect, it } from 'vitest';
import {
  evaluate,
  hitAt,
  ndcgAt,
  pairedNdcgDifference,
  popularityPercentiles,
  recallAt,
} from './evaluate.js';
import { heldOutTruth, itemPopularity } from './offline-eval.js';
import { ix } from '../../test/factories/recommend.js';

describe('metrics', () => {
  const truth = new Set(['b', 'x']);
  it('computes Recall@k over min(k, |truth|)', () => {
    expect(recallAt(['a', 'b', 'c'], truth, 2)).toBe(1 / 2);
    expect(recallAt(['a', 'b', 'x'], truth, 3)).toBe(1);
    expect(recallAt(['b'], truth, 1)).toBe(1); // one slot, one hit
    expect(recallAt(['a'], new Set(), 5)).toBe(0);
  });

  it('computes binary NDCG@k', () => {
    // DCG = 1/log2(3); ideal DCG for two relevant items = 1 + 1/log2(3).
    expect(ndcgAt(['a', 'b', 'c'], truth, 3)).toBeCloseTo(
      1 / Math.log2(3) / (1 + 1 / Math.log2(3)),
      12,
    );
    expect(ndcgAt(['b', 'x'], truth, 10)).toBe(1);
    expect(ndcgAt(['a', 'c', 'b'], truth, 2)).toBe(0);
  });

  it('computes HitRate@k', () => {
    expect(hitAt(['a', 'c', 'b'], truth, 2)).toBe(0);
    expect(hitAt(['a', 'c', 'b'], truth, 3)).toBe(1);
  });

  it('ranks popularity as mid-rank percentiles', () => {
    const p = popularityPercentiles(
      ['a', 'b', 'c', 'd'],
      new Map([
        ['a', 10],
        ['b', 5],
        ['c', 5],
      ]),
    );
    // sorted 0, 5, 5, 10: a → 3/3; b, c → (1 + 1/2)/3; d → 0
    expect(Object.fromEntries(p)).toEqual({ a: 1, b: 0.5, c: 0.5, d: 0 });
  });
});

describe('evaluate', () => {
  const recs = new Map([
    ['u1', ['a', 'b']],
    ['u2', ['c']],
  ]);
  const truth = new Map<string, string[]>([
    ['u1', ['b']],
    ['u2', ['d']],
    ['u3', []], // no truth: not evaluated
    ['u4', ['a']], // no list: scores 0
  ]);
  const popularity = new Map([
    ['a', 10],
    ['b', 5],
    ['c', 5],
  ]);
  const catalog = ['a', 'b', 'c', 'd'];

  it('averages over people with truth, as computed by hand', () => {
    const e = evaluate(recs, truth, { k: 2, popularity, catalog, bootstrap: 0 });
    expect(e.users).toBe(3);
    expect(e.recall.value).toBeCloseTo(1 / 3, 12);
    expect(e.ndcg.value).toBeCloseTo(1 / Math.log2(3) / 3, 12);
    expect(e.hitRate.value).toBeCloseTo(1 / 3, 12);
    expect(e.coverage).toBe(3 / 4);
    // u1: mean(1, 0.5); u2: 0.5; u4: no list → 0.
    expect(e.popularityBias.value).toBeCloseTo((0.75 + 0.5 + 0) / 3, 12);
    expect(e.recall.low).toBe(e.recall.value); // no bootstrap: no interval
  });

  it('gives seeded, reproducible bootstrap intervals that bracket the mean', () => {
    const a = evaluate(recs, truth, { k: 2, popularity, catalog, bootstrap: 500, seed: 3 });
    const b = evaluate(recs, truth, { k: 2, popularity, catalog, bootstrap: 500, seed: 3 });
    expect(a).toEqual(b);
    for (const m of [a.recall, a.ndcg, a.hitRate, a.popularityBias]) {
      expect(m.low).toBeLessThanOrEqual(m.value);
      expect(m.high).toBeGreaterThanOrEqual(m.value);
      expect(m.low).toBeGreaterThanOrEqual(0);
      expect(m.high).toBeLessThanOrEqual(1);
    }
    // With three people each 0 or 1 on hit rate, a resample's mean is a multiple of 1/3.
    expect([0, 1 / 3, 2 / 3, 1].map((v) => v.toFixed(6))).toContain(a.hitRate.low.toFixed(6));
  });

  it('derives held-out truth and popularity from interactions', () => {
    const train = [ix('u1', 'a'), ix('u1', 'b'), ix('u2', 'a'), ix('u2', 'a')];
    const test = [ix('u1', 'a'), ix('u1', 'c'), ix('u2', 'd'), ix('u3', 'a')];
    expect(heldOutTruth(train, test)).toEqual(
      new Map([
        ['u1', new Set(['c'])],
        ['u2', new Set(['d'])],
      ]),
    );
    expect(itemPopularity(train)).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    );
  });
});

describe('pairedNdcgDifference', () => {
  it('averages per-person differences', () => {
    const truth = new Map([
      ['u1', new Set(['x'])],
      ['u2', new Set(['y'])],
    ]);
    const a = new Map([
      ['u1', ['x']],
      ['u2', ['z', 'y']],
    ]);
    const b = new Map([['u1', ['z', 'x']]]);
    // u1: 1 − 1/log2(3); u2: 1/log2(3) − 0.
    const d = pairedNdcgDifference(a, b, truth, 10, { bootstrap: 0 });
    expect(d.value).toBeCloseTo((1 - 1 / Math.log2(3) + 1 / Math.log2(3)) / 2, 12);
    const withCi = pairedNdcgDifference(a, b, truth, 10, { bootstrap: 200, seed: 2 });
    expect(withCi.low).toBeLessThanOrEqual(withCi.value);
    expect(withCi.high).toBeGreaterThanOrEqual(withCi.value);
  });
});
