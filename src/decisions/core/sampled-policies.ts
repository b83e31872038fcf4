// Thompson sampling (Beta-Bernoulli and linear) and LinUCB. Thompson sampling has no
// closed-form action distribution, so it is estimated from seeded posterior draws, as
// the Open Bandit Pipeline does; the decision is then drawn from that same estimate, so
// the logged propensity is exactly the probability the action was chosen with.
import type { Random } from '../../shared/index.js';
import { inverseQuadratic, ridgeSolve, dot, type RidgeSolution } from './linear-algebra.js';
import { gammaStream, normalStream } from './samplers.js';
import { argmaxAll, mixUniform, pointMass } from './simple-policies.js';
import type { ActionDistribution, ArmStats, PolicyState } from './types.js';

function armOf(state: PolicyState, action: string): ArmStats | undefined {
  return Object.hasOwn(state.arms, action) ? state.arms[action] : undefined;
}

/**
 * Win counts of `draws` rounds of "draw a score per action, the highest wins", smoothed
 * by half a draw per action: an action that won no round keeps a small chance instead
 * of a zero, which off-policy evaluation of these logs needs.
 */
function winShares(
  actions: readonly string[],
  draws: number,
  drawScore: (index: number) => number,
): ActionDistribution {
  const wins = new Array<number>(actions.length).fill(0);
  for (let r = 0; r < draws; r++) {
    let best = -Infinity;
    let winner = 0;
    for (let i = 0; i < actions.length; i++) {
      const s = drawScore(i);
      if (s > best) {
        best = s;
        winner = i;
      }
    }
    wins[winner]! += 1;
  }
  const total = draws + 0.5 * actions.length;
  const out: ActionDistribution = {};
  actions.forEach((a, i) => (out[a] = (wins[i]! + 0.5) / total));
  return out;
}

/** Rewards are clipped to [0, 1]: a fractional reward counts as that share of a success. */
export function betaPosterior(
  arm: ArmStats | undefined,
  prior: { alpha: number; beta: number },
): { alpha: number; beta: number } {
  const n = arm?.n ?? 0;
  const successes = Math.min(n, Math.max(0, arm?.rewardSum ?? 0));
  return { alpha: prior.alpha + successes, beta: prior.beta + n - successes };
}

export function thompsonDistribution(
  prior: { alpha: number; beta: number },
  draws: number,
  state: PolicyState,
  actions: readonly string[],
  random: Random,
): ActionDistribution {
  if (actions.length === 1) return pointMass(actions, actions);
  const normal = normalStream(random);
  const drawers = actions.map((a) => {
    const { alpha, beta } = betaPosterior(armOf(state, a), prior);
    const x = gammaStream(alpha, normal, random);
    const y = gammaStream(beta, normal, random);
    // Beta(alpha, beta) as X / (X + Y) of two gammas.
    return () => {
      const gx = x();
      const gy = y();
      return gx + gy === 0 ? 0.5 : gx / (gx + gy);
    };
  });
  return winShares(actions, draws, (i) => drawers[i]!());
}

/** An arm's linear sums when they match dimension d; others (another feature list) start over. */
function linearSums(arm: ArmStats | undefined, d: number): { xx: number[]; xr: number[] } {
  if (arm?.xx?.length === d * d && arm.xr?.length === d) return { xx: arm.xx, xr: arm.xr };
  return { xx: new Array<number>(d * d).fill(0), xr: new Array<number>(d).fill(0) };
}

/** For the context x: the ridge estimate theta.x and the spread sqrt(x^T A^-1 x). */
export function linearScore(
  arm: ArmStats | undefined,
  x: readonly number[],
  lambda: number,
): { mean: number; spread: number } {
  const d = x.length;
  const { theta, factor } = solved(arm, d, lambda);
  return { mean: dot(theta, x), spread: Math.sqrt(inverseQuadratic(factor, x, d)) };
}

// An arm's solution depends on its sums only, which a state never changes in place (an
// update makes new arms): solved once per arm and state, not once per decision.
const solutions = new WeakMap<
  readonly number[],
  { lambda: number; xr: readonly number[]; sol: RidgeSolution }
>();
const emptySolutions = new Map<string, RidgeSolution>();

function solved(arm: ArmStats | undefined, d: number, lambda: number): RidgeSolution {
  const { xx, xr } = linearSums(arm, d);
  if (xx !== arm?.xx) {
    const key = `${d}:${lambda}`;
    let sol = emptySolutions.get(key);
    if (!sol) {
      sol = ridgeSolve(xx, xr, lambda, d);
      if (emptySolutions.size >= 64) emptySolutions.clear();
      emptySolutions.set(key, sol);
    }
    return sol;
  }
  const hit = solutions.get(xx);
  if (hit && hit.lambda === lambda && hit.xr === xr) return hit.sol;
  const sol = ridgeSolve(xx, xr, lambda, d);
  solutions.set(xx, { lambda, xr, sol });
  return sol;
}

export function linUcbDistribution(
  config: { alpha: number; lambda: number; epsilon: number },
  state: PolicyState,
  actions: readonly string[],
  x: readonly number[],
): ActionDistribution {
  const winners = argmaxAll(actions, (a) => {
    const { mean, spread } = linearScore(armOf(state, a), x, config.lambda);
    return mean + config.alpha * spread;
  });
  return mixUniform(pointMass(actions, winners), actions, config.epsilon);
}

/**
 * With disjoint models, theta_a ~ N(theta_hat, v^2 A^-1) makes the score theta_a.x a
 * one-dimensional normal, N(theta_hat.x, v^2 x^T A^-1 x): one normal per action and draw
 * instead of a d-dimensional one.
 */
export function linearTsDistribution(
  config: { v: number; lambda: number; draws: number },
  state: PolicyState,
  actions: readonly string[],
  x: readonly number[],
  random: Random,
): ActionDistribution {
  if (actions.length === 1) return pointMass(actions, actions);
  const scores = actions.map((a) => linearScore(armOf(state, a), x, config.lambda));
  const normal = normalStream(random);
  return winShares(
    actions,
    config.draws,
    (i) => scores[i]!.mean + config.v * scores[i]!.spread * normal(),
  );
}
