import { describe, expect, it } from 'vitest';
import {
  fitGammaGamma,
  gammaGammaExpectedSpend,
  gammaGammaLogLikelihood,
  type GammaGammaParams,
} from './gamma-gamma.js';
import { seededRng, simulateGammaGamma } from '../../../test/factories/purchase-simulation.js';
import { integrateUnit, lnGamma } from './special-functions.js';

// The CDNOW estimates in Fader & Hardie's note; used only as realistic parameter values.
const CDNOW: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };

/**
 * E[p/ν | x, m̄] by Bayes' rule with one quadrature over ν: the prior Gamma(q, γ) times the
 * likelihood of the x spends' mean, Gamma(px, νx) — no closed form involved.
 */
function bayesSpend({ p, q, gamma }: GammaGammaParams, x: number, mean: number): number {
  const scale = q / gamma; // prior mean of ν, mapped to u = 1/2
  const posterior = (u: number, uc: number, moment: number) => {
    const nu = (scale * u) / uc;
    const lnPrior = q * Math.log(gamma) + (q - 1) * Math.log(nu) - gamma * nu - lnGamma(q);
    const lnLik =
      p * x * Math.log(nu * x) + (p * x - 1) * Math.log(mean) - nu * x * mean - lnGamma(p * x);
    return Math.pow(p / nu, moment) * Math.exp(lnPrior + lnLik) * (scale / (uc * uc));
  };
  return (
    integrateUnit((u, uc) => posterior(u, uc, 1), 1e-10) /
    integrateUnit((u, uc) => posterior(u, uc, 0), 1e-10)
  );
}

describe('Gamma-Gamma formulas', () => {
  it.each([
    [1, 20],
    [3, 45.5],
    [12, 8],
  ])('expected spend agrees with direct Bayesian integration (x=%s, m̄=%s)', (x, mean) => {
    expect(gammaGammaExpectedSpend(CDNOW, { x, mean })! / bayesSpend(CDNOW, x, mean)).toBeCloseTo(
      1,
      8,
    );
  });

  it('shrinks toward the population mean, less as transactions accumulate', () => {
    const population = (CDNOW.p * CDNOW.gamma) / (CDNOW.q - 1);
    expect(gammaGammaExpectedSpend(CDNOW, { x: 0, mean: 0 })).toBeCloseTo(population, 12);
    const one = gammaGammaExpectedSpend(CDNOW, { x: 1, mean: 100 })!;
    const many = gammaGammaExpectedSpend(CDNOW, { x: 50, mean: 100 })!;
    expect(one).toBeGreaterThan(population);
    expect(many).toBeGreaterThan(one);
    expect(gammaGammaExpectedSpend(CDNOW, { x: 1e9, mean: 100 })).toBeCloseTo(100, 4);
  });

  it('has no finite expectation when q ≤ 1', () => {
    expect(gammaGammaExpectedSpend({ p: 2, q: 1, gamma: 5 }, { x: 0, mean: 0 })).toBeNull();
  });

  it('computes the likelihood of the note (eq. 4) for a hand-checked customer', () => {
    // p=2, q=3, γ=4, x=1, m̄=2: Γ(5)/(Γ(2)Γ(3)) · 4³ · 2¹ · 1² / 6⁵ = 12 · 128 / 7776.
    expect(gammaGammaLogLikelihood({ p: 2, q: 3, gamma: 4 }, [{ x: 1, mean: 2 }])).toBeCloseTo(
      Math.log((12 * 128) / 7776),
      12,
    );
  });
});

describe('Gamma-Gamma fitting', () => {
  it('recovers the parameters of 4,000 simulated customers', () => {
    const rng = seededRng(2013);
    const data = simulateGammaGamma(CDNOW, 4000, () => 1 + Math.floor(rng.next() * 6), rng);
    const fit = fitGammaGamma(data)!;
    expect(fit.converged).toBe(true);
    // The maximum beats the truth, and the truth lies inside the fit's 99.9% likelihood-ratio
    // confidence region (2·Δℓ < χ²₃ quantile 16.27): a statistical test, not a guessed band.
    const gain = fit.log_likelihood - gammaGammaLogLikelihood(CDNOW, data);
    expect(gain).toBeGreaterThanOrEqual(0);
    expect(2 * gain).toBeLessThan(16.27);
    // p and γ trade off (about ±25% between seeds at this size); their mean is sharp.
    const rel = (x: number, y: number) => Math.abs(x / y - 1);
    expect(rel(fit.p, CDNOW.p)).toBeLessThan(0.35);
    expect(rel(fit.q, CDNOW.q)).toBeLessThan(0.15);
    expect(rel(fit.gamma, CDNOW.gamma)).toBeLessThan(0.4);
    const mean = (g: GammaGammaParams) => (g.p * g.gamma) / (g.q - 1);
    expect(rel(mean(fit), mean(CDNOW))).toBeLessThan(0.03);
  });

  it('ignores unusable customers and declines too little data', () => {
    expect(fitGammaGamma([{ x: 2, mean: 10 }])).toBeNull();
    const junk = Array.from({ length: 30 }, () => ({ x: 0, mean: 0 }));
    expect(fitGammaGamma(junk)).toBeNull();
  });
});
