import { z } from 'zod';
import { DAY_MS } from './affinity-facts.js';
import { BgNbdFit, fitBgNbd, type PurchaseSummary } from './bgnbd.js';
import type { ProfileFacts } from './facts-schema.js';
import { GammaGammaFit, fitGammaGamma, type SpendSummary } from './gamma-gamma.js';
import { median, purchaseHistory, purchaseSummary, spendSummary } from './purchase-history.js';
import { RfmBoundaries, rfmBoundaries, type RfmInput } from './rfm.js';
import { UpliftScorer } from './uplift-trait.js';

/** Read-time settings of a workspace, with every default in one place. */
export const ModelSettings = z.object({
  /** Days for a product interaction's affinity weight to halve. */
  affinity_half_life_days: z.number().positive().default(30),
  /** Values listed per affinity kind. */
  affinity_top: z.number().int().min(1).max(100).default(5),
  /** At risk after this many typical gaps without an order. */
  at_risk_multiplier: z.number().positive().default(1.5),
  /** Lapsed after this many typical gaps without an order. */
  lapsed_multiplier: z.number().positive().default(3),
  /** The shortest purchase rhythm lifecycle rules assume, in days. */
  min_gap_days: z.number().min(0).default(7),
  /** Typical gap when the workspace has no repeat customers yet, in days. */
  default_gap_days: z.number().positive().default(30),
  /** CLV discount per month (lifetimes' default). */
  monthly_discount_rate: z.number().min(0).max(1).default(0.01),
  /** Weight of an open/click against other activity when choosing the best send hour. */
  engaged_hour_weight: z.number().min(0).default(3),
  /** Fewest customers the purchase models are fitted on. */
  min_model_customers: z.number().int().min(2).default(20),
});
export type ModelSettings = z.infer<typeof ModelSettings>;

/** What `deriveTraits` needs from the whole workspace, refreshed periodically. */
export const WorkspaceModel = z.object({
  version: z.literal(1),
  fitted_at: z.number(),
  /** People with at least one order. */
  customers: z.number().int().min(0),
  settings: ModelSettings,
  rfm: RfmBoundaries.nullable(),
  bgnbd: BgNbdFit.nullable(),
  gamma_gamma: GammaGammaFit.nullable(),
  /** Median over repeat customers of their median gap between purchase occasions. */
  default_gap_days: z.number().positive(),
  /**
   * The journeys' uplift scorers, by journey id (`uplift.<journey id>` traits). Trained and
   * stored by the measurement module, attached when the model is read (ModelCache).
   */
  uplift: z.record(z.string(), UpliftScorer).optional(),
});
export type WorkspaceModel = z.infer<typeof WorkspaceModel>;

/**
 * The model of a workspace with no customers yet: no RFM, no CLV, lifecycle from defaults.
 * @example
 * const traits = deriveTraits(facts, Date.now(), defaultWorkspaceModel(Date.now()));
 */
export function defaultWorkspaceModel(
  now: number,
  settings: z.input<typeof ModelSettings> = {},
): WorkspaceModel {
  const parsed = ModelSettings.parse(settings);
  return {
    version: 1,
    fitted_at: now,
    customers: 0,
    settings: parsed,
    rfm: null,
    bgnbd: null,
    gamma_gamma: null,
    default_gap_days: parsed.default_gap_days,
  };
}

/**
 * Fits the workspace model at `now` from every person's facts: RFM quintile boundaries,
 * BG/NBD and Gamma-Gamma by maximum likelihood, and the default purchase rhythm. Pure and
 * deterministic; about 0.1-0.3 s for 4,000 customers.
 * @example
 * const model = fitWorkspaceModel(allFacts, Date.now(), { affinity_half_life_days: 14 });
 */
export function fitWorkspaceModel(
  facts: readonly ProfileFacts[],
  now: number,
  settings: z.input<typeof ModelSettings> = {},
): WorkspaceModel {
  const model = defaultWorkspaceModel(now, settings);
  const rfm: RfmInput[] = [];
  const purchases: PurchaseSummary[] = [];
  const spend: SpendSummary[] = [];
  const rhythms: number[] = [];
  for (const f of facts) {
    const history = purchaseHistory(f);
    const summary = purchaseSummary(history, now);
    const last = history.orders[history.orders.length - 1];
    if (!summary || !last) continue;
    rfm.push({
      recencyDays: Math.max(0, (now - last.at) / DAY_MS),
      frequency: history.orders.length,
      monetary: history.revenue,
    });
    purchases.push(summary);
    const s = spendSummary(history);
    if (s.x > 0) spend.push(s);
    const rhythm = median(history.gapsDays);
    if (rhythm !== null) rhythms.push(rhythm);
  }
  const min = model.settings.min_model_customers;
  return {
    ...model,
    customers: rfm.length,
    rfm: rfmBoundaries(rfm),
    bgnbd: fitBgNbd(purchases, min),
    gamma_gamma: fitGammaGamma(spend, min),
    default_gap_days: median(rhythms) ?? model.settings.default_gap_days,
  };
}
