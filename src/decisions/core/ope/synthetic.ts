// Seeded synthetic bandit feedback in the manner of the Open Bandit Pipeline's
// SyntheticBanditDataset: Gaussian contexts, a known logistic reward function per action,
// a softmax logging policy with known propensities, and a target policy whose true value
// is computed from the reward function itself, so estimators can be checked against it.
import { mulberry32, type Random } from '../../../shared/index.js';
import { sampleIndex, sampleNormal } from '../samplers.js';
import type { EvaluatedRow } from './rows.js';

export interface SyntheticOptions {
  actions?: number;
  dimensions?: number;
  seed?: number;
  /** Softmax inverse temperature of the logging policy; 0 logs uniformly at random. */
  loggingBeta?: number;
  /** The target is epsilon-greedy on the true expected reward. */
  targetEpsilon?: number;
  /** Added to every logit: negative values make clicks rarer. */
  baseLogit?: number;
}

export interface SyntheticProblem {
  actions: string[];
  features: string[];
  sampleContext(random: Random): number[];
  /** True expected reward of each action in context x. */
  expectedReward(x: readonly number[]): number[];
  logging(x: readonly number[]): number[];
  target(x: readonly number[]): number[];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const total = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / total);
}

export function syntheticProblem(options: SyntheticOptions = {}): SyntheticProblem {
  const k = options.actions ?? 5;
  const d = options.dimensions ?? 5;
  const random = mulberry32(options.seed ?? 1);
  const loggingBeta = options.loggingBeta ?? 1;
  const epsilon = options.targetEpsilon ?? 0.3;
  const base = options.baseLogit ?? -1;
  const weights = Array.from({ length: k }, () =>
    Array.from({ length: d }, () => sampleNormal(random) / Math.sqrt(d)),
  );
  const bias = Array.from({ length: k }, () => sampleNormal(random, 0, 0.5));
  const loggingWeights = Array.from({ length: k }, () =>
    Array.from({ length: d }, () => sampleNormal(random) / Math.sqrt(d)),
  );
  const linear = (w: readonly number[], x: readonly number[]) =>
    w.reduce((s, v, i) => s + v * x[i]!, 0);
  const expectedReward = (x: readonly number[]) =>
    weights.map((w, a) => sigmoid(base + bias[a]! + linear(w, x)));
  return {
    actions: Array.from({ length: k }, (_, a) => `a${a}`),
    features: Array.from({ length: d }, (_, j) => `x${j}`),
    sampleContext: (r) => Array.from({ length: d }, () => sampleNormal(r)),
    expectedReward,
    logging: (x) => softmax(loggingWeights.map((w) => loggingBeta * linear(w, x))),
    target: (x) => {
      const q = expectedReward(x);
      const best = q.indexOf(Math.max(...q));
      return q.map((_, a) => (a === best ? 1 - epsilon : 0) + epsilon / k);
    },
  };
}

const toRecord = (names: readonly string[], values: readonly number[]) =>
  Object.fromEntries(names.map((name, i) => [name, values[i]!]));

/** `n` logged rounds: context, the logging policy's action and propensity, a Bernoulli reward. */
export function syntheticLog(problem: SyntheticProblem, n: number, seed: number): EvaluatedRow[] {
  const random = mulberry32(seed);
  const rows: EvaluatedRow[] = [];
  for (let i = 0; i < n; i++) {
    const x = problem.sampleContext(random);
    const logging = problem.logging(x);
    const a = sampleIndex(random, logging);
    const reward = random() < problem.expectedReward(x)[a]! ? 1 : 0;
    rows.push({
      context: toRecord(problem.features, x),
      action: problem.actions[a]!,
      reward,
      propensity: logging[a]!,
      target: toRecord(problem.actions, problem.target(x)),
      logging: toRecord(problem.actions, logging),
    });
  }
  return rows;
}

/** The target policy's true value, E_x sum_a pi(a|x) q(x, a), over `n` fresh contexts. */
export function trueTargetValue(problem: SyntheticProblem, n = 100_000, seed = 987_654): number {
  const random = mulberry32(seed);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = problem.sampleContext(random);
    const q = problem.expectedReward(x);
    total += problem.target(x).reduce((s, p, a) => s + p * q[a]!, 0);
  }
  return total / n;
}
