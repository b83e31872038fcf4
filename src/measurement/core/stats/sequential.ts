// Always-valid monitoring: a classical p-value is valid for one look decided in advance.
// Look every day and stop at the first p < 0.05 and the false-positive rate climbs well
// past 5%. The mixture sequential probability ratio test (mSPRT; Johari, Pekelis, Walsh,
// "Always valid inference", 2017) gives a p-value and an interval that stay valid however
// often you look and whenever you stop.
//
// With an estimate θ̂ of variance V and a normal mixing prior N(0, τ²) on the effect,
// the likelihood ratio against "no effect" is
//   Λ = sqrt(V / (V + τ²)) · exp(τ² θ̂² / (2 V (V + τ²))),
// the always-valid p-value is the running minimum of 1/Λ, and the always-valid interval
// (the θ whose own ratio stays below 1/α) is the running intersection of
//   θ̂ ± sqrt(V (V + τ²) / τ² · (2 ln(1/α) + ln((V + τ²) / V))).

import type { BinaryArm, Interval } from './types.js';

/** One look: the estimate of the effect (a difference) and its sampling variance. */
export interface NormalLook {
  readonly estimate: number;
  readonly variance: number;
}

export interface SequentialOptions {
  /**
   * The spread of effects you expect, on the estimate's scale; the test is most
   * sensitive to effects of about this size. Default 0.01: one percentage point of
   * conversion rate. For revenue pass your own (for example 10% of revenue per person).
   */
  readonly tau?: number;
  /** The error rate the interval and the `significant` flag are for; default 0.05. */
  readonly alpha?: number;
}

export interface SequentialStep {
  readonly estimate: number;
  readonly variance: number;
  /** Λ at this look alone. */
  readonly likelihoodRatio: number;
  /** Always-valid p-value up to and including this look (running minimum of 1/Λ). */
  readonly pValue: number;
  /** Always-valid interval up to this look (running intersection); null until there is variance. */
  readonly ci: Interval | null;
}

export interface SequentialResult {
  readonly tau: number;
  readonly alpha: number;
  readonly looks: readonly SequentialStep[];
  /** The always-valid p-value after the last look (1 with no looks). */
  readonly pValue: number;
  readonly ci: Interval | null;
  /** pValue < alpha: safe to stop and call the effect real, whenever you looked. */
  readonly significant: boolean;
}

export const DEFAULT_TAU = 0.01;
export const DEFAULT_ALPHA = 0.05;

/** The mixture likelihood ratio and the interval of one look, before running min/intersection. */
export function mixtureSprt(
  look: NormalLook,
  options: SequentialOptions = {},
): { likelihoodRatio: number; ci: Interval | null } {
  const tau = options.tau ?? DEFAULT_TAU;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (!(tau > 0)) throw new RangeError(`tau must be positive, got ${tau}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const { estimate, variance: v } = look;
  if (!(v > 0) || !Number.isFinite(estimate)) return { likelihoodRatio: 1, ci: null };
  const t2 = tau * tau;
  const likelihoodRatio =
    Math.sqrt(v / (v + t2)) * Math.exp((t2 * estimate * estimate) / (2 * v * (v + t2)));
  const half = Math.sqrt(
    ((v * (v + t2)) / t2) * (2 * Math.log(1 / alpha) + Math.log((v + t2) / v)),
  );
  return { likelihoodRatio, ci: [estimate - half, estimate + half] };
}

/** Run the test over looks in time order (cumulative data at each look). */
export function sequentialMonitor(
  looks: readonly NormalLook[],
  options: SequentialOptions = {},
): SequentialResult {
  const tau = options.tau ?? DEFAULT_TAU;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  let p = 1;
  let ci: [number, number] | null = null;
  const steps: SequentialStep[] = [];
  for (const look of looks) {
    const one = mixtureSprt(look, { tau, alpha });
    p = Math.min(p, 1 / one.likelihoodRatio);
    if (one.ci) {
      ci = ci ? [Math.max(ci[0], one.ci[0]), Math.min(ci[1], one.ci[1])] : [one.ci[0], one.ci[1]];
      // The intersection can empty out only by chance (probability ≤ α); keep it a point.
      if (ci[0] > ci[1]) ci = [look.estimate, look.estimate];
    }
    steps.push({ ...look, likelihoodRatio: one.likelihoodRatio, pValue: p, ci });
  }
  return { tau, alpha, looks: steps, pValue: p, ci, significant: p < alpha };
}

/** The difference of conversion rates (treated − control) and its unpooled variance. */
export function proportionLook(treated: BinaryArm, control: BinaryArm): NormalLook {
  const pt = treated.n > 0 ? treated.conversions / treated.n : 0;
  const pc = control.n > 0 ? control.conversions / control.n : 0;
  const vt = treated.n > 0 ? (pt * (1 - pt)) / treated.n : 0;
  const vc = control.n > 0 ? (pc * (1 - pc)) / control.n : 0;
  return { estimate: pt - pc, variance: treated.n > 0 && control.n > 0 ? vt + vc : 0 };
}

/** `sequentialMonitor` over cumulative conversion counts, one entry per look (for example per day). */
export function sequentialProportions(
  looks: readonly { readonly treated: BinaryArm; readonly control: BinaryArm }[],
  options: SequentialOptions = {},
): SequentialResult {
  return sequentialMonitor(
    looks.map((l) => proportionLook(l.treated, l.control)),
    options,
  );
}
