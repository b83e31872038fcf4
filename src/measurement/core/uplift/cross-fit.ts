// The uplift evaluation: the average effect with its interval on all rows, then each
// model scored by K-fold cross-fitting. People are dealt into K folds at random; each
// fold's uplift is predicted by models fitted on the other folds, so every score is on a
// person the model never saw, and the metrics are computed on these held-out scores.

import { mulberry32 } from '../../../shared/index.js';
import { summarize } from '../stats/revenue.js';
import { zFor } from '../stats/distributions.js';
import type { Estimate } from '../stats/types.js';
import { encodeRow, learnEncoding } from './features.js';
import { type ScoredPerson, auuc, qiniCoefficient, upliftAt } from './metrics.js';
import { UPLIFT_MODELS, type UpliftModel } from './models.js';

export interface UpliftData {
  /** Names of the feature columns, in the order of each row's cells. */
  readonly featureNames: readonly string[];
  readonly features: readonly (readonly string[])[];
  readonly treated: readonly boolean[];
  readonly outcome: readonly number[];
}

export interface UpliftOptions {
  readonly folds?: number;
  readonly seed?: number;
  readonly models?: readonly UpliftModel[];
  /** Called after each model-fold fit: (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ModelScores {
  readonly qini: number;
  readonly auuc: number;
  readonly uplift_at: {
    readonly '10': number | null;
    readonly '20': number | null;
    readonly '30': number | null;
  };
}

export interface UpliftEvaluation {
  readonly n: number;
  readonly treated: number;
  readonly control: number;
  readonly binary: boolean;
  /** Mean outcome of the treated minus the control, with a 95% (Welch, normal) interval. */
  readonly ate: Estimate;
  readonly folds: number;
  readonly design: readonly string[];
  readonly models: Readonly<Record<string, ModelScores>>;
}

export const DEFAULT_FOLDS = 5;
export const UPLIFT_SHARES = [0.1, 0.2, 0.3] as const;

/** Difference of means with Welch's normal interval. */
export function averageEffect(treated: readonly number[], control: readonly number[]): Estimate {
  const t = summarize(treated);
  const c = summarize(control);
  const value = t.mean - c.mean;
  const se = Math.sqrt((t.n > 0 ? (t.sd * t.sd) / t.n : 0) + (c.n > 0 ? (c.sd * c.sd) / c.n : 0));
  const z = zFor(0.95);
  return { value, ci: [value - z * se, value + z * se] };
}

/** Fold of each row: a seeded shuffle dealt round-robin, so folds differ by at most one row. */
export function assignFolds(n: number, folds: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const fold = new Array<number>(n).fill(0);
  order.forEach((row, k) => (fold[row] = k % folds));
  return fold;
}

export function evaluateUplift(data: UpliftData, options: UpliftOptions = {}): UpliftEvaluation {
  const encoding = learnEncoding(data.featureNames, data.features);
  const x = data.features.map((cells) => encodeRow(encoding, cells));
  return evaluateUpliftDesign(
    { names: encoding.names, x, treated: data.treated, outcome: data.outcome },
    options,
  );
}

/** An experiment already encoded: design rows (intercept first) and their column names. */
export interface UpliftDesign {
  readonly names: readonly string[];
  readonly x: readonly (readonly number[])[];
  readonly treated: readonly boolean[];
  readonly outcome: readonly number[];
}

/** `evaluateUplift` on rows already encoded (the in-product models encode computed traits). */
export function evaluateUpliftDesign(
  data: UpliftDesign,
  options: UpliftOptions = {},
): UpliftEvaluation {
  const n = data.outcome.length;
  const folds = options.folds ?? DEFAULT_FOLDS;
  const models = options.models ?? UPLIFT_MODELS;
  const treatedY = data.outcome.filter((_, i) => data.treated[i]);
  const controlY = data.outcome.filter((_, i) => !data.treated[i]);
  if (treatedY.length < folds || controlY.length < folds) {
    throw new RangeError(
      `each arm needs at least ${folds} rows for ${folds}-fold cross-fitting (treated ${treatedY.length}, control ${controlY.length})`,
    );
  }
  const binary = data.outcome.every((y) => y === 0 || y === 1);
  const x = data.x;
  const fold = assignFolds(n, folds, options.seed ?? 1);

  const scores: Record<string, ModelScores> = {};
  const total = models.length * folds;
  let done = 0;
  for (const model of models) {
    const predicted = new Array<number>(n).fill(0);
    for (let k = 0; k < folds; k++) {
      const trainRows = [...Array(n).keys()].filter((i) => fold[i] !== k);
      const predict = model.fit({
        x: trainRows.map((i) => x[i]!),
        treated: trainRows.map((i) => data.treated[i]!),
        y: trainRows.map((i) => data.outcome[i]!),
        binary,
      });
      for (let i = 0; i < n; i++) if (fold[i] === k) predicted[i] = predict(x[i]!);
      options.onProgress?.(++done, total);
    }
    const people: ScoredPerson[] = predicted.map((uplift, i) => ({
      uplift,
      treated: data.treated[i]!,
      outcome: data.outcome[i]!,
    }));
    const [a, b, c] = UPLIFT_SHARES.map((s) => upliftAt(people, s));
    scores[model.name] = {
      qini: qiniCoefficient(people),
      auuc: auuc(people),
      uplift_at: { '10': a ?? null, '20': b ?? null, '30': c ?? null },
    };
  }
  return {
    n,
    treated: treatedY.length,
    control: controlY.length,
    binary,
    ate: averageEffect(treatedY, controlY),
    folds,
    design: data.names,
    models: scores,
  };
}
