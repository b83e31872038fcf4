import { describe, expect, it } from 'vitest';
import { mulberry32, type Random } from '../../../shared/index.js';
import { cuped, type CupedUnit } from './cuped.js';
import { compareProportions } from './proportions.js';
import { compareRevenue } from './revenue.js';
import { sequentialProportions } from './sequential.js';
import { sampleRatioMismatch } from './srm.js';
import type { BinaryArm } from './types.js';

// Seeded simulations: the numbers the reports print, checked against effects we planted.

interface Person {
  readonly treated: boolean;
  readonly converted: boolean;
  readonly spend: number;
}

/** `people` people, a `treatedShare` split, base conversion `base`, treated × (1 + lift). */
function simulate(
  random: Random,
  people: number,
  treatedShare: number,
  base: number,
  lift: number,
) {
  const persons: Person[] = [];
  for (let i = 0; i < people; i++) {
    const treated = random() < treatedShare;
    const converted = random() < base * (treated ? 1 + lift : 1);
    // Buyers spend 20–80; the treatment changes who buys, not how much.
    persons.push({ treated, converted, spend: converted ? 20 + 60 * random() : 0 });
  }
  return persons;
}

function arms(persons: readonly Person[]): { treated: BinaryArm; control: BinaryArm } {
  const arm = (t: boolean) => {
    const inArm = persons.filter((p) => p.treated === t);
    return { n: inArm.length, conversions: inArm.filter((p) => p.converted).length };
  };
  return { treated: arm(true), control: arm(false) };
}

describe('a planted +20% lift on 10,000 people with a 50% holdout', () => {
  const persons = simulate(mulberry32(2026), 10_000, 0.5, 0.2, 0.2);
  const { treated, control } = arms(persons);
  const report = compareProportions(treated, control);

  it('finds the lift inside both intervals, significant, and the split sound', () => {
    const { delta, fieller } = report.lift;
    expect(delta![0]).toBeLessThan(0.2);
    expect(delta![1]).toBeGreaterThan(0.2);
    expect(fieller![0]).toBeLessThan(0.2);
    expect(fieller![1]).toBeGreaterThan(0.2);
    expect(delta![0]).toBeGreaterThan(0); // and the effect is told apart from none
    expect(report.pValue).toBeLessThan(0.05);
    expect(report.difference.ci[0]).toBeLessThan(0.04);
    expect(report.difference.ci[1]).toBeGreaterThan(0.04);
    const srm = sampleRatioMismatch([treated.n, control.n], [0.5, 0.5]);
    expect(srm.mismatch).toBe(false);
    expect(srm.pValue).toBeGreaterThan(0.001);
  });

  it('bootstraps a revenue lift interval around the planted +20%', () => {
    const spend = (t: boolean) => persons.filter((p) => p.treated === t).map((p) => p.spend);
    const r = compareRevenue(spend(true), spend(false), { random: mulberry32(9), resamples: 1000 });
    expect(r.treated.n + r.control.n).toBe(10_000);
    expect(r.lift.ci![0]).toBeLessThan(0.2);
    expect(r.lift.ci![1]).toBeGreaterThan(0.2);
    expect(r.difference.ci[0]).toBeLessThan(r.difference.value);
    expect(r.difference.ci[1]).toBeGreaterThan(r.difference.value);
    // Same seed, same interval.
    const again = compareRevenue(spend(true), spend(false), {
      random: mulberry32(9),
      resamples: 1000,
    });
    expect(again.lift.ci).toEqual(r.lift.ci);
  });

  it('flags a broken 60/40 assignment', () => {
    const broken = arms(simulate(mulberry32(7), 8000, 0.6, 0.1, 0.2));
    const srm = sampleRatioMismatch([broken.treated.n, broken.control.n], [0.5, 0.5]);
    expect(srm.mismatch).toBe(true);
    expect(srm.pValue).toBeLessThan(1e-20);
  });
});

describe('daily peeking at an experiment with no effect', () => {
  const replications = 200;
  const days = 30;
  const perDay = 200; // people a day per arm
  let naive = 0;
  let sequential = 0;
  let finalOnly = 0;
  for (let rep = 0; rep < replications; rep++) {
    const random = mulberry32(10_000 + rep);
    const looks: { treated: BinaryArm; control: BinaryArm }[] = [];
    let t = { n: 0, conversions: 0 };
    let c = { n: 0, conversions: 0 };
    let naiveHit = false;
    for (let day = 0; day < days; day++) {
      let ct = 0;
      let cc = 0;
      for (let i = 0; i < perDay; i++) {
        if (random() < 0.1) ct++;
        if (random() < 0.1) cc++;
      }
      t = { n: t.n + perDay, conversions: t.conversions + ct };
      c = { n: c.n + perDay, conversions: c.conversions + cc };
      looks.push({ treated: t, control: c });
      if (compareProportions(t, c).pValue < 0.05) naiveHit = true;
    }
    if (naiveHit) naive++;
    if (compareProportions(t, c).pValue < 0.05) finalOnly++;
    if (sequentialProportions(looks).significant) sequential++;
  }

  it('keeps the always-valid test at or below 5% while naive peeking inflates it', () => {
    expect(sequential / replications).toBeLessThanOrEqual(0.05);
    expect(naive / replications).toBeGreaterThan(0.12);
    expect(naive).toBeGreaterThan(2 * Math.max(finalOnly, sequential));
  });
});

describe('sequential test with a real effect', () => {
  it('stops with an interval around the planted difference', () => {
    const random = mulberry32(5);
    const looks: { treated: BinaryArm; control: BinaryArm }[] = [];
    let t = { n: 0, conversions: 0 };
    let c = { n: 0, conversions: 0 };
    for (let day = 0; day < 30; day++) {
      let ct = 0;
      let cc = 0;
      for (let i = 0; i < 500; i++) {
        if (random() < 0.12) ct++;
        if (random() < 0.1) cc++;
      }
      t = { n: t.n + 500, conversions: t.conversions + ct };
      c = { n: c.n + 500, conversions: c.conversions + cc };
      looks.push({ treated: t, control: c });
    }
    const r = sequentialProportions(looks);
    expect(r.significant).toBe(true);
    expect(r.ci![0]).toBeGreaterThan(0);
    expect(r.ci![0]).toBeLessThan(0.02);
    expect(r.ci![1]).toBeGreaterThan(0.02);
    // The p-value only goes down; the interval only narrows.
    for (let i = 1; i < r.looks.length; i++) {
      expect(r.looks[i]!.pValue).toBeLessThanOrEqual(r.looks[i - 1]!.pValue);
    }
  });
});

describe('CUPED', () => {
  function units(random: Random, n: number, effect: number, correlated: boolean): CupedUnit[] {
    const out: CupedUnit[] = [];
    for (let i = 0; i < n; i++) {
      const habit = 50 + 20 * gaussian(random); // what the person spends anyway
      const covariate = correlated ? habit + 5 * gaussian(random) : 50 + 20 * gaussian(random);
      out.push({ covariate, outcome: habit + effect + 10 * gaussian(random) });
    }
    return out;
  }

  it('narrows the interval when the pre-period predicts the outcome, without moving the estimate', () => {
    const random = mulberry32(3);
    const r = cuped(units(random, 3000, 2, true), units(random, 3000, 0, true));
    expect(r.varianceReduction).toBeGreaterThan(0.6);
    expect(r.theta).toBeGreaterThan(0.8);
    const width = (ci: readonly [number, number]) => ci[1] - ci[0];
    expect(width(r.difference.ci)).toBeLessThan(0.65 * width(r.unadjustedDifference.ci));
    expect(r.difference.ci[0]).toBeLessThan(2);
    expect(r.difference.ci[1]).toBeGreaterThan(2);
    expect(r.lift.value).toBeCloseTo(2 / 50, 1);
  });

  it('changes next to nothing when the covariate is noise', () => {
    const random = mulberry32(4);
    const r = cuped(units(random, 3000, 2, false), units(random, 3000, 0, false));
    expect(Math.abs(r.varianceReduction)).toBeLessThan(0.01);
  });
});

/** Box–Muller: one standard normal draw. */
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
