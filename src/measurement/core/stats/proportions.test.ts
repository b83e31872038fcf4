import { describe, expect, it } from 'vitest';
import { compareProportions } from './proportions.js';
import { sampleRatioMismatch } from './srm.js';

describe('compareProportions', () => {
  it('matches a hand-worked example', () => {
    const r = compareProportions({ n: 5000, conversions: 600 }, { n: 5000, conversions: 500 });
    expect(r.treated.rate).toBe(0.12);
    expect(r.control.rate).toBe(0.1);
    expect(r.difference.value).toBeCloseTo(0.02, 12);
    // se = sqrt(.12·.88/5000 + .1·.9/5000) = 0.0062546
    expect(r.difference.ci[0]).toBeCloseTo(0.02 - 1.959964 * 0.0062546, 6);
    // pooled 0.11: z = 0.02 / sqrt(.11·.89·2/5000) = 3.19601 (R: prop.test without correction)
    expect(r.z).toBeCloseTo(3.196014, 5);
    expect(r.pValue).toBeCloseTo(0.0013934, 6);
    expect(r.lift.value).toBeCloseTo(0.2, 12);
    const [lo, hi] = r.lift.delta!;
    // Var(ratio) = .12·.88/5000/.01 + .0144·.09/5000/.0001 = 0.004704 → se 0.068586
    expect(lo).toBeCloseTo(0.2 - 1.959964 * 0.0685857, 5);
    expect(hi).toBeCloseTo(0.2 + 1.959964 * 0.0685857, 5);
    const [flo, fhi] = r.lift.fieller!;
    expect(flo).toBeGreaterThan(0.05);
    expect(fhi).toBeGreaterThan(hi); // Fieller's interval leans right for a ratio
  });

  it('says the lift is undefined without control conversions, and Fieller unbounded with few', () => {
    const none = compareProportions({ n: 100, conversions: 3 }, { n: 100, conversions: 0 });
    expect(none.lift).toEqual({ value: null, delta: null, fieller: null });
    const few = compareProportions({ n: 100, conversions: 3 }, { n: 100, conversions: 1 });
    expect(few.lift.value).toBeCloseTo(2, 12);
    expect(few.lift.fieller).toBeNull();
    expect(few.lift.delta).not.toBeNull();
  });

  it('answers p = 1 for empty arms and refuses impossible counts', () => {
    expect(compareProportions({ n: 0, conversions: 0 }, { n: 0, conversions: 0 }).pValue).toBe(1);
    expect(() => compareProportions({ n: 10, conversions: 11 }, { n: 10, conversions: 1 })).toThrow(
      /11 conversions in 10 people/,
    );
    expect(() => compareProportions({ n: 1.5, conversions: 1 }, { n: 10, conversions: 1 })).toThrow(
      /whole n/,
    );
  });
});

describe('sampleRatioMismatch', () => {
  it('passes a fair split and flags 60/40 and a small bias on big arms', () => {
    expect(sampleRatioMismatch([5023, 4977], [0.5, 0.5]).mismatch).toBe(false);
    const broken = sampleRatioMismatch([6000, 4000], [0.5, 0.5]);
    expect(broken.chiSquare).toBeCloseTo(400, 9);
    expect(broken.mismatch).toBe(true);
    expect(sampleRatioMismatch([51_000, 49_000], [1, 1]).mismatch).toBe(true);
  });

  it('uses the expected split, not an even one', () => {
    const r = sampleRatioMismatch([9500, 500], [95, 5]);
    expect(r.expected).toEqual([9500, 500]);
    expect(r.pValue).toBe(1);
    expect(sampleRatioMismatch([9300, 700], [0.95, 0.05]).mismatch).toBe(true);
  });

  it('refuses mismatched arms and shares', () => {
    expect(() => sampleRatioMismatch([1, 2, 3], [0.5, 0.5])).toThrow(/one expected share per arm/);
    expect(() => sampleRatioMismatch([1, 2], [0.5, 0])).toThrow(/positive/);
  });
});
