// The direct method's reward model: a ridge regression per action on the context
// features, fitted with cross-fitting (each row predicted by a model that never saw it),
// so DR's correction term is not fooled by a model that memorised its own rows.
import { backSolve, cholesky, forwardSolve, dot } from '../linear-algebra.js';
import type { LoggedRow } from './rows.js';

/** Feature names in a stable order: the most frequently non-zero first, at most `max`. */
export function contextFeatures(rows: readonly LoggedRow[], max = 64): string[] {
  const seen = new Map<string, number>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row.context)) {
      if (value !== 0) seen.set(name, (seen.get(name) ?? 0) + 1);
    }
  }
  return [...seen]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, max)
    .map(([name]) => name);
}

function design(row: LoggedRow, features: readonly string[]): number[] {
  const x = [1];
  for (const f of features) {
    const v = Object.hasOwn(row.context, f) ? row.context[f]! : 0;
    x.push(Number.isFinite(v) ? v : 0);
  }
  return x;
}

interface Fit {
  theta: number[] | null;
  mean: number;
}

/** Ridge with an unpenalised intercept; an action without rows predicts the overall mean. */
function fitAction(
  xs: readonly number[][],
  ys: readonly number[],
  lambda: number,
  d: number,
  fallback: number,
): Fit {
  if (xs.length === 0) return { theta: null, mean: fallback };
  const a = new Array<number>(d * d).fill(0);
  const b = new Array<number>(d).fill(0);
  for (let r = 0; r < xs.length; r++) {
    const x = xs[r]!;
    for (let i = 0; i < d; i++) {
      b[i]! += x[i]! * ys[r]!;
      for (let j = 0; j <= i; j++) a[i * d + j]! += x[i]! * x[j]!;
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) a[j * d + i] = a[i * d + j]!;
  for (let i = 0; i < d; i++) a[i * d + i]! += i === 0 ? 1e-6 : lambda;
  const l = cholesky(a, d);
  const mean = ys.reduce((s, y) => s + y, 0) / ys.length;
  if (!l) return { theta: null, mean };
  return { theta: backSolve(l, forwardSolve(l, b, d), d), mean };
}

export interface RewardPredictions {
  /** For each row, the predicted reward of every action the row's target or log names. */
  q: Map<string, number>[];
  features: string[];
}

/**
 * Cross-fitted predictions q(x_i, a) for every row i and every action in `actions`:
 * the rows are split into `folds` by a seeded-free round robin (row order), each fold
 * predicted by models fitted on the others.
 */
export function crossFitRewards(
  rows: readonly LoggedRow[],
  actions: readonly string[],
  options: { folds?: number; lambda?: number; maxFeatures?: number } = {},
): RewardPredictions {
  const folds = Math.max(2, Math.min(options.folds ?? 2, rows.length));
  const lambda = options.lambda ?? 1;
  const features = contextFeatures(rows, options.maxFeatures ?? 64);
  const d = features.length + 1;
  const xs = rows.map((r) => design(r, features));
  const q = rows.map(() => new Map<string, number>());
  for (let k = 0; k < folds; k++) {
    const byAction = new Map<string, { xs: number[][]; ys: number[] }>();
    let total = 0;
    let count = 0;
    rows.forEach((row, i) => {
      if (i % folds === k) return;
      let bucket = byAction.get(row.action);
      if (!bucket) byAction.set(row.action, (bucket = { xs: [], ys: [] }));
      bucket.xs.push(xs[i]!);
      bucket.ys.push(row.reward);
      total += row.reward;
      count += 1;
    });
    const fallback = count > 0 ? total / count : 0;
    const fits = new Map<string, Fit>();
    for (const action of actions) {
      const bucket = byAction.get(action);
      fits.set(action, fitAction(bucket?.xs ?? [], bucket?.ys ?? [], lambda, d, fallback));
    }
    rows.forEach((_, i) => {
      if (i % folds !== k) return;
      for (const [action, fit] of fits) {
        q[i]!.set(action, fit.theta ? dot(fit.theta, xs[i]!) : fit.mean);
      }
    });
  }
  return { q, features };
}
