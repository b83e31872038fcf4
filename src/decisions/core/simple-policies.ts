// The policies that score each action by itself: rules, A/B/n and epsilon-greedy.
import type { ActionDistribution, PolicyState } from './types.js';

/** Probability 1 spread evenly over `winners` (ties split: the result stays deterministic). */
export function pointMass(
  actions: readonly string[],
  winners: readonly string[],
): ActionDistribution {
  const out: ActionDistribution = {};
  for (const a of actions) out[a] = 0;
  for (const w of winners) out[w] = 1 / winners.length;
  return out;
}

/** `(1 - epsilon) * d + epsilon / K`: every candidate keeps at least epsilon / K. */
export function mixUniform(
  d: ActionDistribution,
  actions: readonly string[],
  epsilon: number,
): ActionDistribution {
  if (epsilon <= 0) return d;
  const out: ActionDistribution = {};
  for (const a of actions) out[a] = (1 - epsilon) * (d[a] ?? 0) + epsilon / actions.length;
  return out;
}

/** The actions with the highest score (all of them within a relative 1e-12 of it). */
export function argmaxAll(actions: readonly string[], score: (a: string) => number): string[] {
  let best = -Infinity;
  const scores = actions.map((a) => {
    const s = score(a);
    if (s > best) best = s;
    return s;
  });
  const tolerance = Number.isFinite(best) ? Math.abs(best) * 1e-12 : 0;
  const winners = actions.filter((_, i) => scores[i]! >= best - tolerance);
  return winners.length > 0 ? winners : [...actions];
}

export function fixedDistribution(
  order: readonly string[] | undefined,
  actions: readonly string[],
): ActionDistribution {
  const candidates = new Set(actions);
  const first = order?.find((a) => candidates.has(a)) ?? actions[0]!;
  return pointMass(actions, [first]);
}

export function weightedDistribution(
  weights: Readonly<Record<string, number>>,
  actions: readonly string[],
): ActionDistribution {
  const w = actions.map((a) => (Object.hasOwn(weights, a) ? weights[a]! : 0));
  const total = w.reduce((s, x) => s + x, 0);
  const out: ActionDistribution = {};
  actions.forEach((a, i) => (out[a] = total > 0 ? w[i]! / total : 1 / actions.length));
  return out;
}

/** The observed mean reward; an action never tried scores +Infinity so it is tried first. */
export function meanReward(state: PolicyState, action: string): number {
  const arm = Object.hasOwn(state.arms, action) ? state.arms[action] : undefined;
  return arm && arm.n > 0 ? arm.rewardSum / arm.n : Infinity;
}

export function epsilonGreedyDistribution(
  epsilon: number,
  state: PolicyState,
  actions: readonly string[],
): ActionDistribution {
  const greedy = argmaxAll(actions, (a) => meanReward(state, a));
  return mixUniform(pointMass(actions, greedy), actions, epsilon);
}
