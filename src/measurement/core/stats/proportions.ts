// Two arms of a binary outcome (converted or not): rates, the absolute difference, the
// relative lift with two intervals, and the two-proportion z-test.

import { twoSidedP, zFor } from './distributions.js';
import {
  type BinaryArm,
  type ConfidenceOption,
  DEFAULT_CONFIDENCE,
  type Estimate,
  type Interval,
} from './types.js';

export interface ArmRate extends BinaryArm {
  /** conversions / n; 0 for an empty arm. */
  readonly rate: number;
}

/**
 * The relative lift, (treated − control) / control, and its interval by two methods.
 * `value` is null when the control never converted (the ratio has no value). An
 * interval is null when it is unbounded: Fieller's is whenever the control's rate is
 * not itself clearly above zero, which is the honest answer with too few conversions.
 */
export interface RelativeLift {
  readonly value: number | null;
  /** Delta method on the ratio of rates: symmetric, fine once each arm has dozens of conversions. */
  readonly delta: Interval | null;
  /** Fieller's interval for a ratio: exact under normality of both rates, asymmetric. */
  readonly fieller: Interval | null;
}

export interface ProportionComparison {
  readonly confidence: number;
  readonly treated: ArmRate;
  readonly control: ArmRate;
  /** treated rate − control rate, with a Wald (unpooled) interval. */
  readonly difference: Estimate;
  readonly lift: RelativeLift;
  /** The pooled two-proportion z statistic (0 when there is no variance at all). */
  readonly z: number;
  /** Its two-sided p-value: chance of a gap this large if the action did nothing. */
  readonly pValue: number;
}

export function armRate(arm: BinaryArm): ArmRate {
  checkArm(arm);
  return { n: arm.n, conversions: arm.conversions, rate: arm.n > 0 ? arm.conversions / arm.n : 0 };
}

function checkArm(arm: BinaryArm): void {
  const { n, conversions } = arm;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(conversions) || conversions < 0) {
    throw new RangeError(`an arm needs whole n ≥ 0 and conversions ≥ 0, got ${n}/${conversions}`);
  }
  if (conversions > n) throw new RangeError(`an arm has ${conversions} conversions in ${n} people`);
}

/** The sampling variance of a rate, p(1 − p)/n (0 for an empty arm). */
function rateVariance(arm: ArmRate): number {
  return arm.n > 0 ? (arm.rate * (1 - arm.rate)) / arm.n : 0;
}

/**
 * Compare a treated arm to its control.
 *
 * @example compareProportions({ n: 5000, conversions: 600 }, { n: 5000, conversions: 500 })
 *   // lift.value 0.2, difference.value 0.02, pValue ≈ 0.0014
 */
export function compareProportions(
  treated: BinaryArm,
  control: BinaryArm,
  options: ConfidenceOption = {},
): ProportionComparison {
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const t = armRate(treated);
  const c = armRate(control);
  const z = zFor(confidence);
  const vt = rateVariance(t);
  const vc = rateVariance(c);
  const diff = t.rate - c.rate;
  const se = Math.sqrt(vt + vc);
  const difference: Estimate = { value: diff, ci: [diff - z * se, diff + z * se] };

  const pooled = t.n + c.n > 0 ? (t.conversions + c.conversions) / (t.n + c.n) : 0;
  const pooledSe = t.n > 0 && c.n > 0 ? Math.sqrt(pooled * (1 - pooled) * (1 / t.n + 1 / c.n)) : 0;
  const zStat = pooledSe > 0 ? diff / pooledSe : 0;

  return {
    confidence,
    treated: t,
    control: c,
    difference,
    lift: ratioLift(t.rate, vt, c.rate, vc, z),
    z: zStat,
    pValue: pooledSe > 0 ? twoSidedP(zStat) : 1,
  };
}

/**
 * The lift a/b − 1 of two independent estimates with variances va and vb, with its delta
 * and Fieller intervals at the normal quantile z. Shared with revenue and CUPED means.
 */
export function ratioLift(a: number, va: number, b: number, vb: number, z: number): RelativeLift {
  if (!(b > 0)) return { value: null, delta: null, fieller: null };
  const ratio = a / b;
  // Var(a/b) ≈ va/b² + a²·vb/b⁴ (first-order Taylor expansion, a and b independent).
  const se = Math.sqrt(va / (b * b) + (a * a * vb) / (b * b * b * b));
  const delta: Interval = [ratio - z * se - 1, ratio + z * se - 1];
  return { value: ratio - 1, delta, fieller: fiellerLift(a, va, b, vb, z) };
}

/**
 * Fieller: the set of ρ with (a − ρb)² ≤ z²(va + ρ²vb), a quadratic in ρ. It is a bounded
 * interval only when b is significantly above 0 (b² > z²vb); otherwise it is the whole
 * line or its complement, and we say "unbounded" (null).
 */
function fiellerLift(a: number, va: number, b: number, vb: number, z: number): Interval | null {
  const z2 = z * z;
  const qa = b * b - z2 * vb;
  if (qa <= 0) return null;
  const qb = a * b;
  const qc = a * a - z2 * va;
  const disc = qb * qb - qa * qc;
  if (disc < 0) return null;
  const root = Math.sqrt(disc);
  return [(qb - root) / qa - 1, (qb + root) / qa - 1];
}
