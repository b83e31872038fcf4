// The `uplift.<journey id>` computed traits: a journey's uplift model (trained by the
// measurement module on the journey's treated and held-out people) scored on a person's
// other computed traits. Features and scoring live here so that training and every read
// of the trait encode a person the same way.

import { z } from 'zod';
import type { ComputedTraits } from './computed-traits.js';

/** The level a categorical value not seen in training (or too rare to keep) becomes. */
export const OTHER_LEVEL = 'other';

/** What an uplift model reads of a person, by name, and whether it is a number or a label. */
export const UPLIFT_FEATURES = {
  order_count: 'numeric',
  /** ln(1 + revenue): spend is skewed. */
  log_revenue: 'numeric',
  /** 0 when the person has not ordered (then has_ordered is 0). */
  days_since_last_order: 'numeric',
  has_ordered: 'numeric',
  sessions_last_30d: 'numeric',
  rfm_recency: 'numeric',
  rfm_frequency: 'numeric',
  rfm_monetary: 'numeric',
  clv_12m: 'numeric',
  p_alive: 'numeric',
  /** Opens and clicks per e-mail delivered (0 without any). */
  email_engagement: 'numeric',
  lifecycle: 'categorical',
  top_category: 'categorical',
  top_brand: 'categorical',
  preferred_channel: 'categorical',
} as const;
export type UpliftFeatureName = keyof typeof UPLIFT_FEATURES;
export const UPLIFT_FEATURE_NAMES = Object.keys(UPLIFT_FEATURES) as UpliftFeatureName[];

const num = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);

/** A person's uplift features from their computed traits (the `uplift` ones aside). */
export function upliftFeatures(
  t: Omit<ComputedTraits, 'uplift'>,
): Record<UpliftFeatureName, number | string> {
  const email = t.channel_engagement.email;
  return {
    order_count: t.order_count,
    log_revenue: Math.log1p(Math.max(0, num(t.revenue))),
    days_since_last_order: num(t.days_since_last_order),
    has_ordered: t.order_count > 0 ? 1 : 0,
    sessions_last_30d: t.sessions_last_30d,
    rfm_recency: num(t.rfm?.recency),
    rfm_frequency: num(t.rfm?.frequency),
    rfm_monetary: num(t.rfm?.monetary),
    clv_12m: num(t.clv_12m),
    p_alive: num(t.p_alive),
    email_engagement: email.delivered > 0 ? (email.opened + email.clicked) / email.delivered : 0,
    lifecycle: t.lifecycle,
    top_category: t.affinities.category[0]?.value ?? 'none',
    top_brand: t.affinities.brand[0]?.value ?? 'none',
    preferred_channel: t.preferred_channel ?? 'none',
  };
}

/** How one feature becomes design columns: standardised, or one indicator per level. */
export const UpliftColumn = z.object({
  name: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  mean: z.number().optional(),
  sd: z.number().positive().optional(),
  levels: z.array(z.string()).optional(),
});
export type UpliftColumn = z.infer<typeof UpliftColumn>;

/**
 * A fitted two-model (T-learner) uplift scorer: one outcome model per arm over the same
 * design; a person's uplift is the treated model's prediction minus the control's.
 */
export const UpliftScorer = z.object({
  model: z.literal('t_learner'),
  /** `logistic` for a 0/1 outcome (conversion): predictions are probabilities. */
  link: z.enum(['logistic', 'identity']),
  columns: z.array(UpliftColumn),
  /** Coefficients over the design, the intercept first. */
  treated: z.array(z.number()),
  control: z.array(z.number()),
  trained_at: z.number(),
});
export type UpliftScorer = z.infer<typeof UpliftScorer>;

/** The design row of a person: 1, then each column standardised or as indicators. */
export function encodeUplift(
  columns: readonly UpliftColumn[],
  features: Readonly<Record<string, number | string>>,
): number[] {
  const row = [1];
  for (const c of columns) {
    const v = features[c.name];
    if (c.kind === 'numeric') {
      row.push((num(typeof v === 'number' ? v : Number(v)) - (c.mean ?? 0)) / (c.sd ?? 1));
      continue;
    }
    const levels = c.levels ?? [];
    const label = String(v ?? '');
    const level = levels.includes(label) ? label : OTHER_LEVEL;
    for (const l of levels) row.push(l === level ? 1 : 0);
  }
  return row;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

function predict(beta: readonly number[], row: readonly number[], link: UpliftScorer['link']) {
  let s = 0;
  for (let j = 0; j < row.length; j++) s += row[j]! * (beta[j] ?? 0);
  return link === 'logistic' ? sigmoid(s) : s;
}

/** A person's predicted uplift: P(convert | treated) − P(convert | held out). */
export function scoreUplift(scorer: UpliftScorer, features: Record<string, number | string>) {
  const row = encodeUplift(scorer.columns, features);
  const u = predict(scorer.treated, row, scorer.link) - predict(scorer.control, row, scorer.link);
  return Number(u.toFixed(6));
}

/** Every journey's uplift for one person, keyed by journey id; undefined without models. */
export function upliftTraits(
  scorers: Readonly<Record<string, UpliftScorer>> | undefined,
  traits: Omit<ComputedTraits, 'uplift'>,
): Record<string, number> | undefined {
  if (!scorers) return undefined;
  const ids = Object.keys(scorers);
  if (ids.length === 0) return undefined;
  const features = upliftFeatures(traits);
  const out: Record<string, number> = {};
  for (const id of ids.sort())
    Object.defineProperty(out, id, {
      value: scoreUplift(scorers[id]!, features),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}
