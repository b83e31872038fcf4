import { z } from 'zod';
import { DAY_MS } from './affinity-facts.js';
import { median } from './purchase-history.js';

/**
 * Lifecycle stage from a person's purchase occasions, judged against their own rhythm:
 * - prospect: no order yet;
 * - lapsed: no order for more than `lapsed × gap` days;
 * - at_risk: no order for more than `atRisk × gap` days;
 * - new: a single purchase occasion, not yet at risk;
 * - won_back: the latest occasion came after a silence longer than `lapsed ×` the gap they
 *   had before it (they had lapsed and returned), not yet at risk again;
 * - active: otherwise.
 * `gap` is the person's median gap between occasions when they have at least two, else the
 * workspace default; it is never below `minGapDays`, so one rushed reorder does not mark
 * someone at risk two days later.
 */
export const LIFECYCLE_STAGES = [
  'prospect',
  'new',
  'active',
  'at_risk',
  'lapsed',
  'won_back',
] as const;
export const LifecycleStage = z.enum(LIFECYCLE_STAGES);
export type LifecycleStage = z.infer<typeof LifecycleStage>;

export interface LifecycleRules {
  atRiskMultiplier: number;
  lapsedMultiplier: number;
  /** The workspace's typical gap, for people with fewer than two occasions. */
  defaultGapDays: number;
  minGapDays: number;
}

export interface Lifecycle {
  stage: LifecycleStage;
  /** The gap the thresholds were measured against; null for prospects. */
  gapDays: number | null;
}

function rhythm(times: readonly number[], rules: LifecycleRules): number {
  const gaps = times.slice(1).map((t, i) => (t - times[i]!) / DAY_MS);
  return Math.max(median(gaps) ?? rules.defaultGapDays, rules.minGapDays);
}

/** The stage at `now` of a person whose purchase occasions happened at `times` (sorted). */
export function lifecycleStage(
  times: readonly number[],
  now: number,
  rules: LifecycleRules,
): Lifecycle {
  const last = times[times.length - 1];
  if (last === undefined) return { stage: 'prospect', gapDays: null };
  const gapDays = rhythm(times, rules);
  const silence = (now - last) / DAY_MS;
  if (silence > rules.lapsedMultiplier * gapDays) return { stage: 'lapsed', gapDays };
  if (silence > rules.atRiskMultiplier * gapDays) return { stage: 'at_risk', gapDays };
  if (times.length === 1) return { stage: 'new', gapDays };
  const before = times.slice(0, -1);
  const comeback = (last - before[before.length - 1]!) / DAY_MS;
  const stage = comeback > rules.lapsedMultiplier * rhythm(before, rules) ? 'won_back' : 'active';
  return { stage, gapDays };
}
