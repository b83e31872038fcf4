import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/index.js';
import { cuped } from './cuped.js';
import { compareRevenue } from './revenue.js';
import { mixtureSprt, proportionLook, sequentialMonitor } from './sequential.js';

describe('edges of the statistics', () => {
  it('mSPRT learns nothing without variance, refuses bad tuning, and matches its formula', () => {
    expect(mixtureSprt({ estimate: 0, variance: 0 })).toEqual({ likelihoodRatio: 1, ci: null });
    expect(() => mixtureSprt({ estimate: 0, variance: 1 }, { tau: 0 })).toThrow(
      /tau must be positive/,
    );
    expect(() => mixtureSprt({ estimate: 0, variance: 1 }, { alpha: 1 })).toThrow(/alpha/);
    // V = τ²: Λ = √½ · exp(d²/(4V)); d = 2·√V gives √½·e.
    const r = mixtureSprt({ estimate: 0.02, variance: 1e-4 }, { tau: 0.01 });
    expect(r.likelihoodRatio).toBeCloseTo(Math.SQRT1_2 * Math.E, 10);
    const half = Math.sqrt(2e-4 * (2 * Math.log(20) + Math.log(2)));
    expect(r.ci![0]).toBeCloseTo(0.02 - half, 12);
    const none = sequentialMonitor([]);
    expect(none).toMatchObject({ pValue: 1, ci: null, significant: false });
    expect(proportionLook({ n: 0, conversions: 0 }, { n: 10, conversions: 1 }).variance).toBe(0);
  });

  it('revenue: empty arms, no control revenue, and bad values', () => {
    const random = mulberry32(1);
    const empty = compareRevenue([], [1, 2], { random });
    expect(empty.lift).toEqual({ value: null, ci: null });
    expect(empty.pValue).toBe(1);
    const noControl = compareRevenue([5, 0, 3], [0, 0, 0], { random, resamples: 50 });
    expect(noControl.lift).toEqual({ value: null, ci: null });
    expect(noControl.difference.value).toBeCloseTo(8 / 3, 12);
    expect(() => compareRevenue([Number.NaN], [1], { random })).toThrow(/not a finite number/);
    expect(() => compareRevenue([1], [1], { random, resamples: 0 })).toThrow(/resamples/);
  });

  it('CUPED with a constant covariate changes nothing', () => {
    const units = (ys: number[]) => ys.map((outcome) => ({ outcome, covariate: 3 }));
    const r = cuped(units([1, 2, 3, 4]), units([0, 1, 2, 1]));
    expect(r.theta).toBe(0);
    expect(r.varianceReduction).toBeCloseTo(0, 12);
    expect(r.difference).toEqual(r.unadjustedDifference);
    expect(() => cuped([{ outcome: Number.NaN, covariate: 1 }], [])).toThrow(/finite/);
  });
});
