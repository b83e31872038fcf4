// IPS, SNIPS, DM, DR, switch-DR and self-normalised DR from per-row terms, with seeded
// percentile-bootstrap 95% intervals and Kish's effective sample size. The reward model
// is fitted once (cross-fitted) and held fixed across bootstrap resamples.
import { ValidationError, mulberry32 } from '../../../shared/index.js';
import { crossFitRewards } from './reward-model.js';
import type { EvaluatedRow } from './rows.js';
import { checkSupport } from './support.js';

export const ESTIMATORS = ['ips', 'snips', 'dm', 'dr', 'switch_dr', 'sndr'] as const;
export type EstimatorName = (typeof ESTIMATORS)[number];

export interface Estimate {
  value: number;
  /** Percentile bootstrap interval: [2.5%, 97.5%]. */
  ci: [number, number];
}

export interface OpeReport {
  estimates: Record<EstimatorName, Estimate>;
  /** Kish's effective sample size of the importance weights, (sum w)^2 / sum w^2. */
  ess: number;
  n: number;
  /** The logging policy's own average reward, for comparison. */
  logged: number;
  maxWeight: number;
  /** Rows whose weight exceeded switch-DR's threshold (they use the model alone). */
  switched: number;
  features: string[];
}

export interface OpeOptions {
  bootstrap?: number;
  seed?: number;
  folds?: number;
  lambda?: number;
  /** switch-DR's weight threshold tau: above it a row trusts the reward model alone. */
  switchTau?: number;
}

/** Per-row quantities every estimator is a function of. */
interface Terms {
  w: Float64Array;
  r: Float64Array;
  qLogged: Float64Array;
  dm: Float64Array;
}

function terms(
  rows: readonly EvaluatedRow[],
  options: OpeOptions,
): { t: Terms; features: string[] } {
  const actions = new Set<string>();
  for (const row of rows) {
    actions.add(row.action);
    for (const a of Object.keys(row.target)) actions.add(a);
  }
  const { q, features } = crossFitRewards(rows, [...actions], options);
  const n = rows.length;
  const t: Terms = {
    w: new Float64Array(n),
    r: new Float64Array(n),
    qLogged: new Float64Array(n),
    dm: new Float64Array(n),
  };
  rows.forEach((row, i) => {
    t.w[i] = (row.target[row.action] ?? 0) / row.propensity;
    t.r[i] = row.reward;
    t.qLogged[i] = q[i]!.get(row.action)!;
    let dm = 0;
    for (const [a, p] of Object.entries(row.target)) dm += p * q[i]!.get(a)!;
    t.dm[i] = dm;
  });
  return { t, features };
}

/** Every estimator over the rows `index` picks (the identity, or a bootstrap resample). */
function pointEstimates(t: Terms, index: Int32Array | null, tau: number): number[] {
  const n = index ? index.length : t.w.length;
  let ips = 0;
  let sumW = 0;
  let dm = 0;
  let dr = 0;
  let sw = 0;
  let residual = 0;
  for (let k = 0; k < n; k++) {
    const i = index ? index[k]! : k;
    const w = t.w[i]!;
    const r = t.r[i]!;
    const correction = w * (r - t.qLogged[i]!);
    ips += w * r;
    sumW += w;
    dm += t.dm[i]!;
    dr += t.dm[i]! + correction;
    sw += t.dm[i]! + (w <= tau ? correction : 0);
    residual += correction;
  }
  return [
    ips / n,
    sumW > 0 ? ips / sumW : 0,
    dm / n,
    dr / n,
    sw / n,
    sumW > 0 ? dm / n + residual / sumW : dm / n,
  ];
}

function percentile(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Estimates of the target policy's value from logged rows, each with its interval. */
export function evaluatePolicy(rows: readonly EvaluatedRow[], options: OpeOptions = {}): OpeReport {
  if (rows.length < 2) {
    throw new ValidationError('Off-policy evaluation needs at least 2 logged rows.', [
      { path: 'rows', problem: `has ${rows.length}` },
    ]);
  }
  checkSupport(rows);
  const tau = options.switchTau ?? 20;
  const { t, features } = terms(rows, options);
  const n = rows.length;
  const point = pointEstimates(t, null, tau);
  const replicates = Math.max(10, options.bootstrap ?? 200);
  const random = mulberry32(options.seed ?? 1);
  const samples: number[][] = ESTIMATORS.map(() => []);
  const index = new Int32Array(n);
  for (let b = 0; b < replicates; b++) {
    for (let k = 0; k < n; k++) index[k] = Math.floor(random() * n);
    pointEstimates(t, index, tau).forEach((v, e) => samples[e]!.push(v));
  }
  const estimates = {} as Record<EstimatorName, Estimate>;
  ESTIMATORS.forEach((name, e) => {
    const sorted = samples[e]!.sort((a, b) => a - b);
    estimates[name] = {
      value: point[e]!,
      ci: [percentile(sorted, 0.025), percentile(sorted, 0.975)],
    };
  });
  let sumW = 0;
  let sumW2 = 0;
  let maxWeight = 0;
  let switched = 0;
  let logged = 0;
  for (let i = 0; i < n; i++) {
    sumW += t.w[i]!;
    sumW2 += t.w[i]! * t.w[i]!;
    maxWeight = Math.max(maxWeight, t.w[i]!);
    if (t.w[i]! > tau) switched += 1;
    logged += t.r[i]!;
  }
  return {
    estimates,
    ess: sumW2 > 0 ? (sumW * sumW) / sumW2 : 0,
    n,
    logged: logged / n,
    maxWeight,
    switched,
    features,
  };
}
