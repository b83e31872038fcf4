import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/index.js';
import { evaluateUplift, assignFolds } from './cross-fit.js';
import { fitLogistic, fitRidge } from './linear.js';
import { UPLIFT_MODELS } from './models.js';

describe('regressions', () => {
  it('ridge recovers a linear rule; logistic recovers its coefficients', () => {
    const random = mulberry32(1);
    const x: number[][] = [];
    const y: number[] = [];
    const z: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const a = random() * 2 - 1;
      const b = random() * 2 - 1;
      x.push([1, a, b]);
      y.push(3 + 2 * a - b);
      z.push(random() < 1 / (1 + Math.exp(-(-1 + 2 * a))) ? 1 : 0);
    }
    const ridge = fitRidge(x, y, { l2: 0 });
    expect(ridge[0]).toBeCloseTo(3, 6);
    expect(ridge[1]).toBeCloseTo(2, 6);
    expect(ridge[2]).toBeCloseTo(-1, 6);
    const logistic = fitLogistic(x, z, { l2: 0 });
    expect(logistic[0]).toBeCloseTo(-1, 0);
    expect(logistic[1]).toBeCloseTo(2, 0);
    expect(Math.abs(logistic[2]!)).toBeLessThan(0.2);
  });
});

describe('uplift models on a planted effect', () => {
  // Email helps only people who "like_email" (+25 pp); everyone converts at 10% otherwise.
  const random = mulberry32(21);
  const rows: string[][] = [];
  const treated: boolean[] = [];
  const outcome: number[] = [];
  for (let i = 0; i < 6000; i++) {
    const likes = random() < 0.3;
    const region = ['north', 'south', 'east'][Math.floor(random() * 3)]!;
    const t = random() < 0.5;
    rows.push([likes ? 'yes' : 'no', region, String(Math.floor(random() * 12))]);
    treated.push(t);
    outcome.push(random() < 0.1 + (t && likes ? 0.25 : 0) ? 1 : 0);
  }
  const result = evaluateUplift(
    { featureNames: ['likes_email', 'region', 'recency'], features: rows, treated, outcome },
    { seed: 3, folds: 3 },
  );

  it('puts the persuadable first: uplift@20% near +25 pp, well above the average', () => {
    expect(result.ate.ci[0]).toBeLessThan(0.075);
    expect(result.ate.ci[1]).toBeGreaterThan(0.075);
    expect(Object.keys(result.models)).toEqual(UPLIFT_MODELS.map((m) => m.name));
    for (const m of Object.values(result.models)) {
      expect(m.uplift_at['20']).toBeGreaterThan(0.18);
      expect(m.qini).toBeGreaterThan(0.1); // of 1 for knowing every outcome in advance
    }
    expect(result.design).toEqual([
      '(intercept)',
      'likes_email=no',
      'likes_email=yes',
      'region=east',
      'region=north',
      'region=south',
      'recency',
    ]);
  });

  it('deals folds evenly and reproducibly', () => {
    const folds = assignFolds(10, 3, 5);
    expect(folds).toEqual(assignFolds(10, 3, 5));
    expect([0, 1, 2].map((k) => folds.filter((f) => f === k).length)).toEqual([4, 3, 3]);
  });
});
