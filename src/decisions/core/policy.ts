// The policy interface: one config, one learned state, the candidates and the context in;
// the full action distribution, a choice with its propensity, or the next state out.
// Pure and synchronous: storage, versions and logging live outside src/decisions/core.
import { ValidationError, type Random } from '../../shared/index.js';
import { sampleIndex } from './samplers.js';
import {
  linUcbDistribution,
  linearTsDistribution,
  thompsonDistribution,
} from './sampled-policies.js';
import {
  epsilonGreedyDistribution,
  fixedDistribution,
  weightedDistribution,
} from './simple-policies.js';
import {
  designVector,
  type ActionDistribution,
  type ArmStats,
  type Choice,
  type PolicyConfig,
  type PolicyContext,
  type PolicyState,
} from './types.js';

function checkActions(actions: readonly string[]): void {
  if (actions.length === 0) {
    throw new ValidationError('A policy needs at least one candidate action.', [
      { path: 'actions', problem: 'is empty: answer the default before asking the policy' },
    ]);
  }
  if (actions.includes('__proto__')) {
    throw new ValidationError('`__proto__` cannot name an action.', [
      { path: 'actions', problem: 'names `__proto__`, which objects cannot hold as a key' },
    ]);
  }
  if (new Set(actions).size !== actions.length) {
    throw new ValidationError('Candidate actions must be distinct.', [
      { path: 'actions', problem: 'lists an action twice' },
    ]);
  }
}

/** The feature names a policy reads: what a decision log should keep with the decision. */
export function policyFeatures(config: PolicyConfig): readonly string[] {
  return config.kind === 'linucb' || config.kind === 'linear_ts' ? config.features : [];
}

/** Whether the policy's choice depends on chance (then `random` is drawn from). */
export function isRandomized(config: PolicyConfig): boolean {
  switch (config.kind) {
    case 'fixed':
      return false;
    case 'linucb':
      return config.epsilon > 0;
    default:
      return true;
  }
}

/**
 * The probability of every candidate under the policy, summing to 1. Deterministic
 * policies put 1 on their choice (ties split evenly); Thompson sampling estimates its
 * distribution from `config.draws` seeded posterior draws taken from `random`.
 */
export function distribution(
  config: PolicyConfig,
  state: PolicyState,
  actions: readonly string[],
  context: PolicyContext,
  random: Random,
): ActionDistribution {
  checkActions(actions);
  switch (config.kind) {
    case 'fixed':
      return fixedDistribution(config.order, actions);
    case 'weighted':
      return weightedDistribution(config.weights, actions);
    case 'epsilon_greedy':
      return epsilonGreedyDistribution(config.epsilon, state, actions);
    case 'thompson':
      return thompsonDistribution(config.prior, config.draws, state, actions, random);
    case 'linucb':
      return linUcbDistribution(config, state, actions, designVector(config.features, context));
    case 'linear_ts':
      return linearTsDistribution(
        config,
        state,
        actions,
        designVector(config.features, context),
        random,
      );
  }
}

/**
 * Whether the distribution depends only on the state and the candidates, not on the
 * context: then one distribution serves every decision until the state changes (a
 * Thompson estimate is drawn once per state, not once per decision).
 */
export function isContextFree(config: PolicyConfig): boolean {
  return config.kind !== 'linucb' && config.kind !== 'linear_ts';
}

/** One decision: an action drawn from `distribution`, with the probability it had. */
export function choose(
  config: PolicyConfig,
  state: PolicyState,
  actions: readonly string[],
  context: PolicyContext,
  random: Random,
): Choice {
  return chooseFrom(distribution(config, state, actions, context, random), actions, random);
}

/**
 * An action drawn from a distribution already computed over `actions`, with the
 * probability it had: the logged propensity is exactly the chance it was chosen with.
 */
export function chooseFrom(
  dist: ActionDistribution,
  actions: readonly string[],
  random: Random,
): Choice {
  const index = sampleIndex(
    random,
    actions.map((a) => dist[a]!),
  );
  const action = actions[index]!;
  return { action, propensity: dist[action]!, distribution: dist };
}

/**
 * What one observed reward adds to an action's statistics. States are sums, so a store
 * may keep these deltas and add them (`addArmStats`) instead of rewriting the state.
 */
export function armDelta(config: PolicyConfig, context: PolicyContext, reward: number): ArmStats {
  if (!Number.isFinite(reward)) {
    throw new ValidationError('A reward must be a finite number.', [
      { path: 'reward', problem: `is ${String(reward)}` },
    ]);
  }
  const r = config.kind === 'thompson' ? Math.min(1, Math.max(0, reward)) : reward;
  const names = policyFeatures(config);
  if (config.kind !== 'linucb' && config.kind !== 'linear_ts') return { n: 1, rewardSum: r };
  const x = designVector(names, context);
  const d = x.length;
  const xx = new Array<number>(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) xx[i * d + j] = x[i]! * x[j]!;
  return { n: 1, rewardSum: r, xx, xr: x.map((v) => v * r) };
}

/** The sum of two arms' statistics; linear sums of different sizes keep the newer (`b`). */
export function addArmStats(a: ArmStats | undefined, b: ArmStats): ArmStats {
  if (!a) return b;
  const out: ArmStats = { n: a.n + b.n, rewardSum: a.rewardSum + b.rewardSum };
  if (b.xx && b.xr) {
    const same = a.xx?.length === b.xx.length && a.xr?.length === b.xr.length;
    out.xx = same ? b.xx.map((v, i) => v + a.xx![i]!) : b.xx;
    out.xr = same ? b.xr.map((v, i) => v + a.xr![i]!) : b.xr;
  } else if (a.xx && a.xr) {
    out.xx = a.xx;
    out.xr = a.xr;
  }
  return out;
}

/** Two states added arm by arm: what two processes learned, together. */
export function mergeStates(a: PolicyState, b: PolicyState): PolicyState {
  const arms: Record<string, ArmStats> = { ...a.arms };
  for (const [action, stats] of Object.entries(b.arms)) {
    arms[action] = addArmStats(Object.hasOwn(arms, action) ? arms[action] : undefined, stats);
  }
  return { arms };
}

/** The state after `action` earned `reward` in `context`; the input is left untouched. */
export function update(
  config: PolicyConfig,
  state: PolicyState,
  action: string,
  context: PolicyContext,
  reward: number,
): PolicyState {
  return mergeStates(state, { arms: { [action]: armDelta(config, context, reward) } });
}
