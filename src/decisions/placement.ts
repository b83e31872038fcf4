import { z } from 'zod';
import { PolicyConfig } from './core/types.js';
import { DecisionKey, Window } from './offer.js';

export const PlacementInput = z.strictObject({
  description: z.string().max(2000).optional(),
  /** The offers the policy chooses among. */
  candidates: z.array(DecisionKey).min(1).max(200),
  /** `{"kind": "fixed" | "weighted" | "epsilon_greedy" | "thompson" | "linucb" | "linear_ts", …}` */
  policy: PolicyConfig,
  /** Shown when nothing is eligible, and to the holdout. */
  default: DecisionKey,
  /** Percent of people (0-100, stable per person) who always get the default. */
  holdoutPercent: z.number().min(0).max(100).default(0),
  /** How long after a decision a click or conversion still counts as its reward. */
  attributionWindow: Window.default('P7D'),
  /** What the policy learns from: a click on the offer, or a conversion. */
  reward: z.enum(['click', 'conversion']).default('click'),
});
export type PlacementInput = z.output<typeof PlacementInput>;

export const CreatePlacement = PlacementInput.extend({ name: DecisionKey });

export const Placement = PlacementInput.extend({
  name: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Placement = z.infer<typeof Placement>;

export const PlacementList = z.object({ placements: z.array(Placement) });
