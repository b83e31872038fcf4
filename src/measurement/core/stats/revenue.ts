// Revenue per person: most people spend nothing and a few spend a lot, so the mean's
// sampling distribution is skewed and the ratio of two means more so. The interval of
// the lift comes from the bootstrap (resample people within each arm, recompute), which
// follows that skew instead of assuming it away.

import type { Random } from '../../../shared/index.js';
import { twoSidedP } from './distributions.js';
import {
  type ConfidenceOption,
  DEFAULT_CONFIDENCE,
  type Estimate,
  type Interval,
} from './types.js';

export interface MeanSummary {
  readonly n: number;
  readonly total: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 below two people. */
  readonly sd: number;
}

export interface RevenueOptions extends ConfidenceOption {
  /** Seeded, so the same data gives the same interval. */
  readonly random: Random;
  /** Bootstrap resamples; 2,000 unless given. */
  readonly resamples?: number;
}

export interface RevenueComparison {
  readonly confidence: number;
  readonly resamples: number;
  readonly treated: MeanSummary;
  readonly control: MeanSummary;
  /** treated mean − control mean, with its bootstrap percentile interval. */
  readonly difference: Estimate;
  /** (treated − control) / control with its bootstrap percentile interval; null without control revenue. */
  readonly lift: { readonly value: number | null; readonly ci: Interval | null };
  /** Welch's z-test of the difference of means (large samples). */
  readonly pValue: number;
}

export const DEFAULT_RESAMPLES = 2000;

export function summarize(values: readonly number[]): MeanSummary {
  const n = values.length;
  let total = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`revenue value ${v} is not a finite number`);
    total += v;
  }
  const mean = n > 0 ? total / n : 0;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { n, total, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

function resampleMean(values: readonly number[], random: Random): number {
  const n = values.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += values[Math.floor(random() * n)]!;
  return total / n;
}

/** The q-quantile of sorted values, linearly interpolated (type 7, R's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Compare revenue per person of two arms, each an array with one value per person
 * (zero for those who bought nothing).
 *
 * @example compareRevenue(treatedSpend, controlSpend, { random: mulberry32(1) }).lift
 */
export function compareRevenue(
  treated: readonly number[],
  control: readonly number[],
  options: RevenueOptions,
): RevenueComparison {
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be a whole number ≥ 1, got ${resamples}`);
  }
  const t = summarize(treated);
  const c = summarize(control);
  const diff = t.mean - c.mean;
  const se = Math.sqrt((t.n > 0 ? (t.sd * t.sd) / t.n : 0) + (c.n > 0 ? (c.sd * c.sd) / c.n : 0));
  const pValue = se > 0 ? twoSidedP(diff / se) : 1;
  if (t.n === 0 || c.n === 0) {
    return {
      confidence,
      resamples,
      treated: t,
      control: c,
      difference: { value: diff, ci: [diff, diff] },
      lift: { value: null, ci: null },
      pValue: 1,
    };
  }
  const diffs: number[] = [];
  const lifts: number[] = [];
  let liftUndefined = false;
  for (let r = 0; r < resamples; r++) {
    const mt = resampleMean(treated, options.random);
    const mc = resampleMean(control, options.random);
    diffs.push(mt - mc);
    if (mc > 0) lifts.push(mt / mc - 1);
    else liftUndefined = true;
  }
  const alpha = 1 - confidence;
  diffs.sort((a, b) => a - b);
  lifts.sort((a, b) => a - b);
  const ci = (sorted: number[]): Interval => [
    quantileSorted(sorted, alpha / 2),
    quantileSorted(sorted, 1 - alpha / 2),
  ];
  return {
    confidence,
    resamples,
    treated: t,
    control: c,
    difference: { value: diff, ci: ci(diffs) },
    lift: {
      value: c.mean > 0 ? t.mean / c.mean - 1 : null,
      // A resample whose control spent nothing has no ratio: the interval is unbounded.
      ci: c.mean > 0 && !liftUndefined ? ci(lifts) : null,
    },
    pValue,
  };
}
