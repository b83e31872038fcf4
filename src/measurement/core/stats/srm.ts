// Sample-ratio mismatch: did assignment put people in the arms at the split it promised?
// A 50/50 experiment that ends 52/48 on 10,000 people is broken (a bug, a filter applied
// to one arm, a crash on one side), and every other number it reports is suspect.

import { chiSquareSurvival } from './distributions.js';

/** Flagged below this p-value: strict, because with big arms small biases are real. */
export const SRM_THRESHOLD = 0.001;

export interface SrmResult {
  readonly observed: readonly number[];
  readonly expected: readonly number[];
  readonly chiSquare: number;
  readonly df: number;
  readonly pValue: number;
  readonly threshold: number;
  /** True when pValue < threshold: the split is not what assignment promised. */
  readonly mismatch: boolean;
}

/**
 * Pearson's χ² goodness-of-fit of the arm counts against the expected shares (any
 * positive weights: [0.5, 0.5], [95, 5]).
 *
 * @example sampleRatioMismatch([6000, 4000], [0.5, 0.5]).mismatch // true
 */
export function sampleRatioMismatch(
  counts: readonly number[],
  expectedShares: readonly number[],
  threshold: number = SRM_THRESHOLD,
): SrmResult {
  if (counts.length !== expectedShares.length || counts.length < 2) {
    throw new RangeError('sample-ratio check needs one expected share per arm, at least two arms');
  }
  for (const c of counts) {
    if (!Number.isInteger(c) || c < 0)
      throw new RangeError(`arm count ${c} is not a whole number ≥ 0`);
  }
  const weight = expectedShares.reduce((s, w) => s + w, 0);
  if (!expectedShares.every((w) => w > 0 && Number.isFinite(w))) {
    throw new RangeError('expected shares must be positive numbers');
  }
  const total = counts.reduce((s, c) => s + c, 0);
  const expected = expectedShares.map((w) => (total * w) / weight);
  let chiSquare = 0;
  if (total > 0) {
    for (let i = 0; i < counts.length; i++) {
      const d = counts[i]! - expected[i]!;
      chiSquare += (d * d) / expected[i]!;
    }
  }
  const df = counts.length - 1;
  const pValue = total > 0 ? chiSquareSurvival(chiSquare, df) : 1;
  return {
    observed: [...counts],
    expected,
    chiSquare,
    df,
    pValue,
    threshold,
    mismatch: pValue < threshold,
  };
}
