// Shapes shared by every comparison in this folder. Plain data, so a report can be
// stored, sent as JSON or compared in a test as is. "Treated" is the arm that got the
// action; "control" the arm that did not (a holdout, the global control group).

/** A two-sided interval [low, high]. */
export type Interval = readonly [low: number, high: number];

/** A point estimate with its interval. */
export interface Estimate {
  readonly value: number;
  readonly ci: Interval;
}

/** One arm of a binary outcome: people counted, and how many of them converted. */
export interface BinaryArm {
  readonly n: number;
  readonly conversions: number;
}

/** Every comparison takes the interval's level; 0.95 unless given. */
export interface ConfidenceOption {
  readonly confidence?: number;
}

export const DEFAULT_CONFIDENCE = 0.95;
