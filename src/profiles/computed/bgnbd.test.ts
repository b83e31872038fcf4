import { describe, expect, it } from 'vitest';
import {
  bgnbdExpectedPurchases,
  bgnbdInternals,
  bgnbdLogLikelihood,
  bgnbdPAlive,
  bgnbdUnconditionalExpected,
  fitBgNbd,
  type BgNbdParams,
  type PurchaseSummary,
} from './bgnbd.js';
import { customerLifetimeValue, DAYS_PER_MONTH } from './clv.js';
import { seededRng, simulateBgNbd } from '../../../test/factories/purchase-simulation.js';
import { integrateUnit, lnBeta, lnGamma } from './special-functions.js';

// The CDNOW estimates published with the model (Fader, Hardie & Lee 2005), time in weeks.
// The CDNOW data are not available here: these are used only to check the formulas
// against values published for them, never as a fit to reproduce.
const CDNOW: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/**
 * E[purchases in (T, T+t] | x, t_x, T] straight from Bayes' rule, by 2-D quadrature over
 * (λ, p) with the individual-level likelihood — no closed form, no ₂F₁, no reduction to 1-D.
 */
function bayesExpectation(params: BgNbdParams, t: number, s: PurchaseSummary) {
  const { r, alpha, a, b } = params;
  const scale = (r + s.x) / (alpha + s.T); // puts the λ posterior mass near u = 1/2
  const lnPrior = (lambda: number, p: number, q: number) =>
    r * Math.log(alpha) +
    (r - 1) * Math.log(lambda) -
    alpha * lambda -
    lnGamma(r) +
    (a - 1) * Math.log(p) +
    (b - 1) * Math.log(q) -
    lnBeta(a, b);
  const inner = (p: number, q: number, what: 'num' | 'den' | 'alive') =>
    integrateUnit((u, uc) => {
      const lambda = (scale * u) / uc;
      const jacobian = scale / (uc * uc);
      const lnBase = lnPrior(lambda, p, q) + s.x * Math.log(lambda);
      const aliveTerm = Math.exp(lnBase + s.x * Math.log(q) - lambda * s.T);
      if (what === 'alive') return aliveTerm * jacobian;
      if (what === 'num') return aliveTerm * (-Math.expm1(-lambda * p * t) / p) * jacobian;
      const deadTerm =
        s.x > 0 ? Math.exp(lnBase + Math.log(p) + (s.x - 1) * Math.log(q) - lambda * s.tx) : 0;
      return (aliveTerm + deadTerm) * jacobian;
    }, 1e-9);
  const numerator = integrateUnit((p, q) => inner(p, q, 'num'), 1e-9);
  const evidence = integrateUnit((p, q) => inner(p, q, 'den'), 1e-9);
  const alive = integrateUnit((p, q) => inner(p, q, 'alive'), 1e-9);
  return { expected: numerator / evidence, pAlive: alive / evidence };
}

describe('BG/NBD formulas', () => {
  it('matches the published worked example (x=2, t_x=30.43, T=38.86 weeks, CDNOW estimates)', () => {
    const s = { x: 2, tx: 30.43, T: 38.86 };
    // The paper and Hardie's spreadsheet give 1.226 expected purchases in the next 39 weeks.
    expect(bgnbdExpectedPurchases(CDNOW, 39, s)).toBeCloseTo(1.226, 3);
    expect(bgnbdPAlive(CDNOW, s)).toBeCloseTo(0.727, 3);
  });

  it("matches Hardie's published E[X(t)] curve for the CDNOW estimates", () => {
    // Values from Hardie's BG/NBD spreadsheet (also in the lifetimes test suite). They were
    // computed with the unrounded estimates; the rounded ones move the curve by ≤ 0.16%.
    const published: [number, number][] = [
      [0.1429, 0.0078],
      [1, 0.0532],
      [3, 0.1506],
      [31.8571, 1.0405],
      [32, 1.0437],
      [78, 1.8576],
    ];
    for (const [t, expected] of published) {
      expect(Math.abs(bgnbdUnconditionalExpected(CDNOW, t) - expected)).toBeLessThan(3e-3);
    }
  });

  it.each([
    [CDNOW, 39, { x: 2, tx: 30.43, T: 38.86 }],
    [CDNOW, 52, { x: 0, tx: 0, T: 20 }],
    [CDNOW, 10, { x: 7, tx: 35, T: 36 }],
    [{ r: 1.3, alpha: 40, a: 2.5, b: 4 }, 365, { x: 3, tx: 120, T: 300 }],
    [{ r: 0.6, alpha: 15, a: 0.4, b: 0.8 }, 365, { x: 1, tx: 2, T: 400 }],
  ])('agrees with direct Bayesian integration (case %#)', (params, t, s) => {
    const direct = bayesExpectation(params, t, s);
    expect(bgnbdExpectedPurchases(params, t, s) / direct.expected).toBeCloseTo(1, 6);
    expect(bgnbdPAlive(params, s)).toBeCloseTo(direct.pAlive, 7);
  });

  it('uses the integral form where the closed form is 0/0 (a = 1) and stays continuous', () => {
    const s = { x: 3, tx: 50, T: 90 };
    const near = (a: number) => bgnbdExpectedPurchases({ r: 1, alpha: 30, a, b: 3 }, 100, s);
    expect(Number.isFinite(near(1))).toBe(true);
    expect(near(1)).toBeCloseTo((near(0.98) + near(1.02)) / 2, 3);
    const { aliveExpectationClosed, aliveExpectationIntegral } = bgnbdInternals;
    expect(aliveExpectationClosed({ r: 1, alpha: 30, a: 1, b: 3 }, 100, 3, 90)).toBeNaN();
    expect(aliveExpectationIntegral({ r: 1, alpha: 30, a: 1.5, b: 3 }, 100, 3, 90)).toBeCloseTo(
      aliveExpectationClosed({ r: 1, alpha: 30, a: 1.5, b: 3 }, 100, 3, 90),
      10,
    );
  });

  it.each([
    [{ r: 0.83, alpha: 69, a: 0.004, b: 6.7 }, 3, 200], // a fit seen on Online Retail
    [{ r: 1, alpha: 30, a: 0.05, b: 0.5 }, 3, 200],
    [{ r: 2, alpha: 10, a: 3, b: 1e4 }, 1, 50],
  ])('has both forms agree at extreme shapes (case %#)', (params, x, T) => {
    const { aliveExpectationClosed, aliveExpectationIntegral } = bgnbdInternals;
    expect(
      aliveExpectationIntegral(params, 365, x, T) / aliveExpectationClosed(params, 365, x, T),
    ).toBeCloseTo(1, 9);
  });

  it('tends to the NBD when nobody drops out (b → ∞): E = t (r + x) / (α + T)', () => {
    const params = { r: 0.8, alpha: 12, a: 2, b: 1e9 };
    const s = { x: 4, tx: 30, T: 50 };
    expect(bgnbdPAlive(params, s)).toBeCloseTo(1, 7);
    expect(bgnbdExpectedPurchases(params, 20, s)).toBeCloseTo((20 * 4.8) / 62, 6);
    expect(bgnbdUnconditionalExpected(params, 20)).toBeCloseTo((20 * 0.8) / 12, 6);
  });

  it('says a customer who never came back is alive, and P(alive) falls with silence', () => {
    expect(bgnbdPAlive(CDNOW, { x: 0, tx: 0, T: 30 })).toBe(1);
    const recent = bgnbdPAlive(CDNOW, { x: 3, tx: 30, T: 32 });
    const silent = bgnbdPAlive(CDNOW, { x: 3, tx: 5, T: 32 });
    expect(recent).toBeGreaterThan(silent);
    expect(silent).toBeGreaterThan(0);
  });

  it('computes the log-likelihood of the paper (eq. 6) for a hand-checked customer', () => {
    // r=2, α=3, a=2, b=3, x=1, t_x=2, T=5, with factorial Gammas and Betas:
    // B(2,4)/B(2,3) · 2·3²/8³ + B(3,3)/B(2,3) · 2·3²/5³ = 0.6·18/512 + 0.4·18/125.
    const expected = Math.log(0.6 * (18 / 512) + 0.4 * (18 / 125));
    expect(bgnbdLogLikelihood({ r: 2, alpha: 3, a: 2, b: 3 }, [{ x: 1, tx: 2, T: 5 }])).toBeCloseTo(
      expected,
      12,
    );
  });

  it('discounts CLV month by month and equals E[purchases] × spend at a zero rate', () => {
    const s = { x: 2, tx: 30.43 * 7, T: 38.86 * 7 };
    const daily = { ...CDNOW, alpha: CDNOW.alpha * 7 }; // the same model in days
    const year = bgnbdExpectedPurchases(daily, 12 * DAYS_PER_MONTH, s);
    expect(customerLifetimeValue(daily, s, 50, 12, 0)).toBeCloseTo(year * 50, 9);
    const discounted = customerLifetimeValue(daily, s, 50, 12, 0.01);
    expect(discounted).toBeLessThan(year * 50);
    expect(discounted).toBeGreaterThan((year * 50) / 1.01 ** 12);
  });
});

describe('BG/NBD fitting', () => {
  const recovers = (truth: BgNbdParams, data: PurchaseSummary[]) => {
    const fit = fitBgNbd(data)!;
    expect(fit.converged).toBe(true);
    // The maximum beats the truth, and the truth lies inside the fit's 99.9% likelihood-ratio
    // confidence region (2·Δℓ < χ²₄ quantile 18.47).
    const gain = fit.log_likelihood - bgnbdLogLikelihood(truth, data);
    expect(gain).toBeGreaterThanOrEqual(0);
    expect(2 * gain).toBeLessThan(18.47);
    const rel = (x: number, y: number) => Math.abs(x / y - 1);
    expect(rel(fit.r, truth.r)).toBeLessThan(0.15);
    expect(rel(fit.alpha, truth.alpha)).toBeLessThan(0.2);
    expect(rel(fit.a, truth.a)).toBeLessThan(0.4);
    expect(rel(fit.b, truth.b)).toBeLessThan(0.45);
    // What the data pin down best: the mean purchase rate and the mean dropout probability.
    expect(rel(fit.r / fit.alpha, truth.r / truth.alpha)).toBeLessThan(0.1);
    expect(rel(fit.a / (fit.a + fit.b), truth.a / (truth.a + truth.b))).toBeLessThan(0.15);
    return fit;
  };

  it('recovers CDNOW-like parameters from 4,000 simulated customers (weeks)', () => {
    const rng = seededRng(2005);
    recovers(
      CDNOW,
      simulateBgNbd(CDNOW, 4000, () => 27 + rng.next() * 12, rng),
    );
  });

  it('recovers a frequent-buyer population measured in days', () => {
    const truth = { r: 1.5, alpha: 60, a: 0.5, b: 4 };
    const rng = seededRng(7);
    recovers(
      truth,
      simulateBgNbd(truth, 4000, () => 60 + rng.next() * 300, rng),
    );
  });

  it('declines to fit data that cannot identify the model', () => {
    expect(fitBgNbd([{ x: 1, tx: 1, T: 2 }])).toBeNull();
    expect(fitBgNbd(Array.from({ length: 50 }, () => ({ x: 0, tx: 0, T: 10 })))).toBeNull();
  });
});
