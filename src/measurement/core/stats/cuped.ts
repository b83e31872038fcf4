// CUPED (Deng, Xu, Kohavi, Walker 2013): subtract from each person's outcome the part a
// pre-period covariate (last month's spend, visits before the experiment) predicts. The
// treatment cannot have changed the pre-period, so the difference of means is unbiased,
// and its variance shrinks by the squared correlation: same answer, narrower interval.

import { twoSidedP, zFor } from './distributions.js';
import { type RelativeLift, ratioLift } from './proportions.js';
import { type ConfidenceOption, DEFAULT_CONFIDENCE, type Estimate } from './types.js';

export interface CupedUnit {
  /** The outcome in the experiment window (converted 0/1, revenue). */
  readonly outcome: number;
  /** The same person's value before assignment. */
  readonly covariate: number;
}

export interface CupedArm {
  readonly n: number;
  readonly mean: number;
  /** mean − θ·(covariate mean of the arm − covariate mean of everyone). */
  readonly adjustedMean: number;
}

export interface CupedResult {
  readonly confidence: number;
  /** θ = cov(outcome, covariate) / var(covariate), over both arms together. */
  readonly theta: number;
  readonly treated: CupedArm;
  readonly control: CupedArm;
  readonly difference: Estimate;
  readonly unadjustedDifference: Estimate;
  readonly lift: RelativeLift;
  /** 1 − Var(adjusted difference) / Var(unadjusted): 0.3 means 30% fewer people needed. */
  readonly varianceReduction: number;
  readonly pValue: number;
}

interface Moments {
  n: number;
  my: number;
  mx: number;
  vy: number;
  vx: number;
  cxy: number;
}

function moments(units: readonly CupedUnit[]): Moments {
  const n = units.length;
  let sy = 0;
  let sx = 0;
  for (const u of units) {
    if (!Number.isFinite(u.outcome) || !Number.isFinite(u.covariate)) {
      throw new RangeError('CUPED needs finite outcome and covariate values');
    }
    sy += u.outcome;
    sx += u.covariate;
  }
  const my = n > 0 ? sy / n : 0;
  const mx = n > 0 ? sx / n : 0;
  let vy = 0;
  let vx = 0;
  let cxy = 0;
  for (const u of units) {
    vy += (u.outcome - my) ** 2;
    vx += (u.covariate - mx) ** 2;
    cxy += (u.outcome - my) * (u.covariate - mx);
  }
  const d = n > 1 ? n - 1 : 1;
  return { n, my, mx, vy: vy / d, vx: vx / d, cxy: cxy / d };
}

/**
 * Compare two arms with CUPED adjustment.
 *
 * @example cuped(treatedUnits, controlUnits).varianceReduction // 0.41 when ρ ≈ 0.64
 */
export function cuped(
  treated: readonly CupedUnit[],
  control: readonly CupedUnit[],
  options: ConfidenceOption = {},
): CupedResult {
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const z = zFor(confidence);
  const all = moments([...treated, ...control]);
  const theta = all.vx > 0 ? all.cxy / all.vx : 0;
  const t = moments(treated);
  const c = moments(control);
  // Var(Y − θX) = Var(Y) − 2θ·Cov(X, Y) + θ²·Var(X), within each arm.
  const adjVar = (m: Moments) => Math.max(0, m.vy - 2 * theta * m.cxy + theta * theta * m.vx);
  const arm = (m: Moments): CupedArm => ({
    n: m.n,
    mean: m.my,
    adjustedMean: m.my - theta * (m.mx - all.mx),
  });
  const ta = arm(t);
  const ca = arm(c);
  const perMean = (v: number, n: number) => (n > 0 ? v / n : 0);
  const varT = perMean(adjVar(t), t.n);
  const varC = perMean(adjVar(c), c.n);
  const rawVar = perMean(t.vy, t.n) + perMean(c.vy, c.n);
  const adjDiff = ta.adjustedMean - ca.adjustedMean;
  const se = Math.sqrt(varT + varC);
  const rawDiff = t.my - c.my;
  const rawSe = Math.sqrt(rawVar);
  return {
    confidence,
    theta,
    treated: ta,
    control: ca,
    difference: { value: adjDiff, ci: [adjDiff - z * se, adjDiff + z * se] },
    unadjustedDifference: { value: rawDiff, ci: [rawDiff - z * rawSe, rawDiff + z * rawSe] },
    lift: ratioLift(ta.adjustedMean, varT, ca.adjustedMean, varC, z),
    varianceReduction: rawVar > 0 ? 1 - (varT + varC) / rawVar : 0,
    pValue: se > 0 ? twoSidedP(adjDiff / se) : 1,
  };
}
