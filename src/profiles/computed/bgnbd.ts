import { z } from 'zod';
import { minimize } from './nelder-mead.js';
import { hyp2f1, integrateUnit, lnBeta, lnGamma, logAddExp } from './special-functions.js';

/**
 * The BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
 * Way", Marketing Science 24(2):275-284). While alive a customer buys as a Poisson process
 * with rate λ ~ Gamma(r, α); after each repeat purchase they drop out with probability
 * p ~ Beta(a, b). A customer is summarised by x (repeat purchases), t_x (time of the last
 * purchase) and T (age), all measured from their first purchase. Time is in days here.
 */
export const BgNbdParams = z.object({
  r: z.number().positive(),
  alpha: z.number().positive(),
  a: z.number().positive(),
  b: z.number().positive(),
});
export type BgNbdParams = z.infer<typeof BgNbdParams>;

export interface PurchaseSummary {
  /** Repeat purchases (purchase days after the first). */
  x: number;
  /** Days from the first purchase to the last. */
  tx: number;
  /** Days from the first purchase to the evaluation time. */
  T: number;
}

export const BgNbdFit = BgNbdParams.extend({
  customers: z.number().int(),
  log_likelihood: z.number(),
  evaluations: z.number().int(),
  converged: z.boolean(),
});
export type BgNbdFit = z.infer<typeof BgNbdFit>;

/** Log-likelihood of the model for a set of customers (paper eq. 6, in log space). */
export function bgnbdLogLikelihood(params: BgNbdParams, data: readonly PurchaseSummary[]): number {
  return makeObjective(data)(params);
}

/** Builds a fast log-likelihood: the gamma/beta terms depend on x only, so are cached per x. */
function makeObjective(data: readonly PurchaseSummary[]): (p: BgNbdParams) => number {
  const xs = [...new Set(data.map((d) => d.x))];
  const slot = new Map(xs.map((x, i) => [x, i]));
  const index = Int32Array.from(data, (d) => slot.get(d.x)!);
  const c0 = new Float64Array(xs.length);
  const c1 = new Float64Array(xs.length);
  const c2 = new Float64Array(xs.length);
  return ({ r, alpha, a, b }) => {
    const lnBab = lnBeta(a, b);
    const lnGr = lnGamma(r);
    const rLnAlpha = r * Math.log(alpha);
    xs.forEach((x, i) => {
      c0[i] = lnGamma(r + x) - lnGr + rLnAlpha;
      c1[i] = lnBeta(a, b + x) - lnBab;
      c2[i] = x > 0 ? lnBeta(a + 1, b + x - 1) - lnBab : -Infinity;
    });
    let total = 0;
    for (let i = 0; i < data.length; i++) {
      const { x, tx, T } = data[i]!;
      const k = index[i]!;
      const s = r + x;
      const a1 = c1[k]! - s * Math.log(alpha + T);
      const a2 = x > 0 ? c2[k]! - s * Math.log(alpha + tx) : -Infinity;
      total += c0[k]! + logAddExp(a1, a2);
    }
    return total;
  };
}

/**
 * Maximum-likelihood fit by Nelder–Mead on the log parameters (so they stay positive),
 * started from r = a = b = 1 and α matching the average repeat rate. Returns null when the
 * data cannot identify the model (fewer than `minCustomers`, or nobody ever came back).
 */
export function fitBgNbd(data: readonly PurchaseSummary[], minCustomers = 20): BgNbdFit | null {
  if (data.length < minCustomers || !data.some((d) => d.x > 0)) return null;
  const ll = makeObjective(data);
  const sumX = data.reduce((s, d) => s + d.x, 0);
  const sumT = data.reduce((s, d) => s + d.T, 0);
  const alpha0 = Math.max(sumT / Math.max(sumX, 1), 1e-3);
  const bound = 30; // e^±30: far outside any sensible fit, keeps the simplex out of overflow
  const objective = (v: number[]) => {
    if (v.some((t) => Math.abs(t) > bound)) return Infinity;
    const [r, alpha, a, b] = v.map(Math.exp) as [number, number, number, number];
    return -ll({ r, alpha, a, b }) / data.length;
  };
  const result = minimize(objective, [0, Math.log(alpha0), 0, 0]);
  const [r, alpha, a, b] = result.x.map(Math.exp) as [number, number, number, number];
  return {
    r,
    alpha,
    a,
    b,
    customers: data.length,
    log_likelihood: -result.value * data.length,
    evaluations: result.evaluations,
    converged: result.converged && Number.isFinite(result.value),
  };
}

/** P(alive | x, t_x, T) (paper eq. 13); 1 for a customer who never came back. */
export function bgnbdPAlive(params: BgNbdParams, s: PurchaseSummary): number {
  const { r, alpha, a, b } = params;
  if (s.x === 0) return 1;
  const logOdds =
    Math.log(a / (b + s.x - 1)) + (r + s.x) * (Math.log(alpha + s.T) - Math.log(alpha + s.tx));
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/**
 * E[purchases in (T, T + t] | alive] as ∫₀¹ (1 − ((α+T)/(α+T+pt))^(r+x)) / p · Beta(p; a, b+x) dp:
 * the Gamma posterior of λ integrated in closed form, the Beta posterior of p numerically.
 * Stable for every parameter value (including a ≈ 1, where the closed form is 0/0).
 */
function aliveExpectationIntegral(params: BgNbdParams, t: number, x: number, T: number): number {
  const { r, alpha, a, b } = params;
  const s = r + x;
  const k = t / (alpha + T);
  const lnB = lnBeta(a, b + x);
  // p = c·u / (1 − u + c·u) maps u = 1/2 to about the posterior mean c of p, so the Beta
  // mass sits mid-interval even when it is concentrated near 0 (huge b: rare dropout).
  const c = a / (a + b + x);
  // The gain tends to s·k as p → 0; integrating (gain − s·k) instead keeps the integrand
  // O(p^a) at 0, so a tiny a (p^(a−1) barely integrable) loses nothing to the cut-off.
  const atZero = s * k;
  const rest = integrateUnit((u, uc) => {
    const d = uc + c * u;
    const p = (c * u) / d;
    const q = uc / d;
    const gain = -Math.expm1(-s * Math.log1p(p * k)) / p;
    const density = Math.exp((a - 1) * Math.log(p) + (b + x - 1) * Math.log(q) - lnB);
    return (gain - atZero) * density * (c / (d * d));
  });
  return atZero + rest;
}

/** The same expectation in closed form (paper eq. 10 without the P(alive) factor); NaN if unsafe. */
function aliveExpectationClosed(params: BgNbdParams, t: number, x: number, T: number): number {
  const { r, alpha, a, b } = params;
  if (Math.abs(a - 1) < 0.01) return Number.NaN; // (a+b+x−1)/(a−1) · (≈0): cancellation
  const z = t / (alpha + T + t);
  const f = hyp2f1(r + x, b + x, a + b + x - 1, z);
  if (!(f > 0)) return Number.NaN;
  const bracket = -Math.expm1((r + x) * Math.log1p(-z) + Math.log(f));
  // A tiny bracket times a huge ratio (b ≫ a, few dropouts) loses eps/|bracket| digits.
  if (Math.abs(bracket) < 1e-4) return Number.NaN;
  return ((a + b + x - 1) / (a - 1)) * bracket;
}

/**
 * Expected purchases in the next `t` days for a customer with summary `s` (paper eq. 10):
 * the closed form with ₂F₁ when it is well conditioned, else the integral form.
 * @example
 * // CDNOW estimates (weeks): 2 repeat purchases, the last at week 30.43, seen for 38.86
 * bgnbdExpectedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 39,
 *   { x: 2, tx: 30.43, T: 38.86 }); // ≈ 1.226
 */
export function bgnbdExpectedPurchases(params: BgNbdParams, t: number, s: PurchaseSummary): number {
  if (t <= 0) return 0;
  const closed = aliveExpectationClosed(params, t, s.x, s.T);
  const alive =
    Number.isFinite(closed) && closed >= 0 ? closed : aliveExpectationIntegral(params, t, s.x, s.T);
  return alive * bgnbdPAlive(params, s);
}

/** E[X(t)]: expected purchases in (0, t] of a new customer (paper eq. 7). */
export const bgnbdUnconditionalExpected = (params: BgNbdParams, t: number): number =>
  bgnbdExpectedPurchases(params, t, { x: 0, tx: 0, T: 0 });

/** Exposed for tests: both forms of the alive-customer expectation. */
export const bgnbdInternals = { aliveExpectationClosed, aliveExpectationIntegral };
