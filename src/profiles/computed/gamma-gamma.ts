import { z } from 'zod';
import { minimize } from './nelder-mead.js';
import { lnGamma } from './special-functions.js';

/**
 * The Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma
 * Model of Monetary Value", note; Colombo & Jiang 1999). Each transaction of a customer is
 * Gamma(p, ν) distributed and ν ~ Gamma(q, γ) across customers, so a customer's mean spend
 * p/ν is shrunk toward the population mean pγ/(q−1) by how many transactions we have seen.
 * Assumes spend is independent of purchase frequency.
 */
export const GammaGammaParams = z.object({
  p: z.number().positive(),
  q: z.number().positive(),
  gamma: z.number().positive(),
});
export type GammaGammaParams = z.infer<typeof GammaGammaParams>;

export interface SpendSummary {
  /** Repeat transactions whose value is known (≥ 1). */
  x: number;
  /** Their mean value (> 0). */
  mean: number;
}

export const GammaGammaFit = GammaGammaParams.extend({
  customers: z.number().int(),
  log_likelihood: z.number(),
  evaluations: z.number().int(),
  converged: z.boolean(),
});
export type GammaGammaFit = z.infer<typeof GammaGammaFit>;

/**
 * ln f(m̄ | p, q, γ, x) summed over customers, with
 * f = Γ(px+q) / (Γ(px) Γ(q)) · γ^q · m̄^(px−1) · x^(px) / (γ + x m̄)^(px+q) (note, eq. 4).
 */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  data: readonly SpendSummary[],
): number {
  return makeObjective(data)(params);
}

function makeObjective(data: readonly SpendSummary[]): (p: GammaGammaParams) => number {
  const xs = [...new Set(data.map((d) => d.x))];
  const slot = new Map(xs.map((x, i) => [x, i]));
  const index = Int32Array.from(data, (d) => slot.get(d.x)!);
  const lnMean = Float64Array.from(data, (d) => Math.log(d.mean));
  const lnX = Float64Array.from(data, (d) => Math.log(d.x));
  const c = new Float64Array(xs.length);
  return ({ p, q, gamma }) => {
    const base = q * Math.log(gamma) - lnGamma(q);
    xs.forEach((x, i) => {
      c[i] = lnGamma(p * x + q) - lnGamma(p * x) + base;
    });
    let total = 0;
    for (let i = 0; i < data.length; i++) {
      const { x, mean } = data[i]!;
      const px = p * x;
      total +=
        c[index[i]!]! +
        (px - 1) * lnMean[i]! +
        px * lnX[i]! -
        (px + q) * Math.log(gamma + x * mean);
    }
    return total;
  };
}

/**
 * Maximum-likelihood fit on customers with at least one repeat transaction of positive
 * value, by Nelder–Mead on log parameters. Null with fewer than `minCustomers`.
 */
export function fitGammaGamma(
  data: readonly SpendSummary[],
  minCustomers = 20,
): GammaGammaFit | null {
  const usable = data.filter((d) => d.x >= 1 && d.mean > 0 && Number.isFinite(d.mean));
  if (usable.length < minCustomers) return null;
  const ll = makeObjective(usable);
  const meanSpend = usable.reduce((s, d) => s + d.mean, 0) / usable.length;
  const objective = (v: number[]) => {
    if (v.some((t) => Math.abs(t) > 30)) return Infinity;
    const [p, q, gamma] = v.map(Math.exp) as [number, number, number];
    return -ll({ p, q, gamma }) / usable.length;
  };
  // Start at p = 1, q = 2, γ = mean spend: a population mean pγ/(q−1) equal to the sample's.
  const result = minimize(objective, [0, Math.log(2), Math.log(meanSpend)]);
  const [p, q, gamma] = result.x.map(Math.exp) as [number, number, number];
  return {
    p,
    q,
    gamma,
    customers: usable.length,
    log_likelihood: -result.value * usable.length,
    evaluations: result.evaluations,
    converged: result.converged && Number.isFinite(result.value),
  };
}

/**
 * E[spend per transaction | x, m̄] = p(γ + x m̄) / (px + q − 1) (note, eq. 5): with x = 0 it
 * is the population mean pγ/(q−1). Null when q ≤ 1 (the population mean is infinite).
 * @example
 * gammaGammaExpectedSpend({ p: 6.25, q: 3.74, gamma: 15.44 }, { x: 3, mean: 50 }); // ≈ 48.1
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, s: SpendSummary): number | null {
  const { p, q, gamma } = params;
  const denominator = p * s.x + q - 1;
  if (q <= 1 || denominator <= 0) return null;
  return (p * (gamma + s.x * (s.x > 0 ? s.mean : 0))) / denominator;
}
