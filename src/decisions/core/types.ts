// The shapes every policy shares: configs (one zod schema per kind), the learned state
// (sufficient statistics only, JSON as it stands), the context a decision sees.
import { z } from 'zod';

const FeatureName = z.string().min(1).max(100);
const FeatureList = z.array(FeatureName).max(64);

/** Named numeric features of one decision: profile traits, affinities, hour, device flags. */
export const PolicyContext = z.object({
  features: z.record(z.string(), z.number()),
});
export interface PolicyContext {
  readonly features: Readonly<Record<string, number>>;
}

/** Rules: the first action of `order` that is a candidate, else the first candidate. */
export const FixedPolicyConfig = z.object({
  kind: z.literal('fixed'),
  order: z.array(z.string().min(1)).optional(),
});

/** A/B/n: candidates drawn in proportion to their weight; one without a weight gets 0. */
export const WeightedPolicyConfig = z.object({
  kind: z.literal('weighted'),
  weights: z.record(z.string(), z.number().min(0)),
});

/** The best mean so far with probability 1 - epsilon, a uniform candidate otherwise. */
export const EpsilonGreedyPolicyConfig = z.object({
  kind: z.literal('epsilon_greedy'),
  epsilon: z.number().min(0).max(1).default(0.1),
});

/** Beta-Bernoulli Thompson sampling; `draws` Monte Carlo draws give the propensities. */
export const ThompsonPolicyConfig = z.object({
  kind: z.literal('thompson'),
  prior: z
    .object({ alpha: z.number().positive().default(1), beta: z.number().positive().default(1) })
    .default({ alpha: 1, beta: 1 }),
  draws: z.int().min(10).max(100_000).default(1000),
});

/** Disjoint LinUCB (Li et al. 2010) over `features` plus an intercept. */
export const LinUcbPolicyConfig = z.object({
  kind: z.literal('linucb'),
  alpha: z.number().min(0).default(1),
  lambda: z.number().positive().default(1),
  features: FeatureList,
  /** Uniform exploration mixed in, so logs of a deterministic policy stay evaluable. */
  epsilon: z.number().min(0).max(1).default(0),
});

/** Linear Thompson sampling (Agrawal and Goyal 2013) over `features` plus an intercept. */
export const LinearTsPolicyConfig = z.object({
  kind: z.literal('linear_ts'),
  v: z.number().positive().default(0.5),
  lambda: z.number().positive().default(1),
  features: FeatureList,
  draws: z.int().min(10).max(100_000).default(1000),
});

export const PolicyConfig = z.discriminatedUnion('kind', [
  FixedPolicyConfig,
  WeightedPolicyConfig,
  EpsilonGreedyPolicyConfig,
  ThompsonPolicyConfig,
  LinUcbPolicyConfig,
  LinearTsPolicyConfig,
]);
/** A parsed config: every default filled in. */
export type PolicyConfig = z.output<typeof PolicyConfig>;
/** A config as written by people: defaults may be left out. */
export type PolicyConfigInput = z.input<typeof PolicyConfig>;
export type PolicyKind = PolicyConfig['kind'];
export const POLICY_KINDS = [
  'fixed',
  'weighted',
  'epsilon_greedy',
  'thompson',
  'linucb',
  'linear_ts',
] as const satisfies readonly PolicyKind[];

/**
 * What one action has seen. Every field is a sum over observations, so two states (two
 * processes, two days) merge by adding, and a reward's effect is a delta that a store can
 * add under a row lock. `xx` (row-major d x d, the sum of x x^T) and `xr` (the sum of
 * x * reward) exist for the linear policies only, d = features + 1 (the intercept).
 */
export const ArmStats = z.object({
  n: z.number().min(0),
  rewardSum: z.number(),
  xx: z.array(z.number()).optional(),
  xr: z.array(z.number()).optional(),
});
export type ArmStats = z.infer<typeof ArmStats>;

export const PolicyState = z.object({ arms: z.record(z.string(), ArmStats) });
export type PolicyState = z.infer<typeof PolicyState>;

/** An action's probability under a policy, for every candidate; the values sum to 1. */
export type ActionDistribution = Record<string, number>;

export interface Choice {
  action: string;
  /** The probability the policy chose `action` with: what the decision log must keep. */
  propensity: number;
  distribution: ActionDistribution;
}

/** The vector of `names` in that order; a missing or non-finite feature counts as 0. */
export function featureVector(names: readonly string[], context: PolicyContext): number[] {
  return names.map((name) => {
    const value = Object.hasOwn(context.features, name) ? context.features[name] : 0;
    return typeof value === 'number' && Number.isFinite(value) ? value : 0;
  });
}

/** The linear policies' design vector: an intercept, then the named features. */
export function designVector(names: readonly string[], context: PolicyContext): number[] {
  return [1, ...featureVector(names, context)];
}

export function emptyState(): PolicyState {
  return { arms: {} };
}
