import { z } from 'zod';

/**
 * RFM scores against the workspace: each customer (at least one order) gets 1-5 for
 * Recency (days since the last order, fewer is better), Frequency (order count) and
 * Monetary (revenue), by the quintile boundaries of the workspace's customers at fit time.
 */
const Boundaries = z.array(z.number()).length(4);
export const RfmBoundaries = z.object({
  recency_days: Boundaries,
  frequency: Boundaries,
  monetary: Boundaries,
});
export type RfmBoundaries = z.infer<typeof RfmBoundaries>;

export const RfmScores = z.object({
  recency: z.number().int().min(1).max(5),
  frequency: z.number().int().min(1).max(5),
  monetary: z.number().int().min(1).max(5),
  /** The three scores as one code, e.g. "545". */
  code: z.string(),
});
export type RfmScores = z.infer<typeof RfmScores>;

export interface RfmInput {
  recencyDays: number;
  frequency: number;
  monetary: number;
}

/** Quantile of sorted values by linear interpolation (Hyndman & Fan type 7, R's default). */
export function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return below + (h - lo) * (above - below);
}

const quintiles = (values: number[]): number[] => {
  const sorted = [...values].sort((a, b) => a - b);
  return [0.2, 0.4, 0.6, 0.8].map((q) => quantile(sorted, q));
};

/** The 20/40/60/80% boundaries of each measure; null without customers. */
export function rfmBoundaries(customers: readonly RfmInput[]): RfmBoundaries | null {
  if (customers.length === 0) return null;
  return {
    recency_days: quintiles(customers.map((c) => c.recencyDays)),
    frequency: quintiles(customers.map((c) => c.frequency)),
    monetary: quintiles(customers.map((c) => c.monetary)),
  };
}

/** 1 + the number of boundaries strictly below `value`: ties with a boundary score lower. */
const above = (bounds: readonly number[], value: number) =>
  1 + bounds.filter((b) => b < value).length;

/** Scores one customer; recency is reversed so that 5 means most recent. */
export function rfmScores(bounds: RfmBoundaries, c: RfmInput): RfmScores {
  const recency = 6 - above(bounds.recency_days, c.recencyDays);
  const frequency = above(bounds.frequency, c.frequency);
  const monetary = above(bounds.monetary, c.monetary);
  return { recency, frequency, monetary, code: `${recency}${frequency}${monetary}` };
}
