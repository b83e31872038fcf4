import { describe, expect, it } from 'vitest';
import { minimize } from './nelder-mead.js';
import { hyp2f1, integrateUnit, lnBeta, lnGamma, logAddExp } from './special-functions.js';

describe('lnGamma', () => {
  it('matches log-factorials summed directly', () => {
    let logFactorial = 0; // ln((n−1)!)
    for (let n = 1; n <= 120; n++) {
      expect(lnGamma(n)).toBeCloseTo(logFactorial, 10);
      logFactorial += Math.log(n);
    }
  });

  it('matches Γ(1/2) = √π and the small-argument limit Γ(x) ≈ 1/x − γ', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    const x = 1e-7;
    const eulerGamma = 0.5772156649015329;
    expect(lnGamma(x)).toBeCloseTo(Math.log(1 / x - eulerGamma), 8);
  });

  it('gives ln B(a, b) = ln((a−1)!(b−1)!/(a+b−1)!) for integers', () => {
    expect(lnBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 13);
    expect(lnBeta(3, 3)).toBeCloseTo(Math.log(1 / 30), 13);
  });

  it('keeps ln B(a, b) accurate when one argument is huge', () => {
    // B(2, b) = 1 / (b (b + 1)) exactly; lnΓ(b) itself is ~2e10 at b = 1e9.
    for (const b of [10, 123.5, 1e6, 1e9, 1e12]) {
      expect(lnBeta(2, b)).toBeCloseTo(-Math.log(b) - Math.log1p(b), 9);
      expect(lnBeta(b, 2)).toBeCloseTo(-Math.log(b) - Math.log1p(b), 9);
    }
    // B(0.5, 0.5) = π, below the switch; B(9.5, 10.5) = B(10.5, 9.5) around it.
    expect(lnBeta(0.5, 0.5)).toBeCloseTo(Math.log(Math.PI), 13);
    expect(lnBeta(9.5, 10.5)).toBeCloseTo(lnGamma(9.5) + lnGamma(10.5) - lnGamma(20), 11);
  });

  it('adds in log space without overflow', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 10);
    expect(logAddExp(-Infinity, 3)).toBe(3);
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
  });
});

describe('hyp2f1', () => {
  it.each([0, 0.1, 0.5, 0.9, 0.99])('matches elementary closed forms at z = %s', (z) => {
    // ₂F₁(1,1;2;z) = −ln(1−z)/z, ₂F₁(a,b;b;z) = (1−z)^−a, ₂F₁(½,½;3/2;z²) = asin(z)/z.
    expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(z === 0 ? 1 : -Math.log1p(-z) / z, 10);
    expect(hyp2f1(0.7, 2.5, 2.5, z)).toBeCloseTo(Math.pow(1 - z, -0.7), 10);
    const s = Math.sqrt(z);
    expect(hyp2f1(0.5, 0.5, 1.5, z)).toBeCloseTo(z === 0 ? 1 : Math.asin(s) / s, 10);
  });

  it('refuses arguments outside its domain instead of returning a wrong number', () => {
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN();
    expect(hyp2f1(1, 1, 2, -0.5)).toBeNaN();
    expect(hyp2f1(1, 1, 2, 0.999999, 1000)).toBeNaN();
  });
});

describe('integrateUnit (tanh-sinh)', () => {
  it('integrates smooth functions', () => {
    expect(integrateUnit((x) => Math.sin(Math.PI * x))).toBeCloseTo(2 / Math.PI, 12);
    expect(integrateUnit((x) => x * x)).toBeCloseTo(1 / 3, 12);
  });

  it('integrates endpoint singularities: ∫ x^(a−1)(1−x)^(b−1) = B(a, b)', () => {
    for (const [a, b] of [
      [0.3, 0.7],
      [0.5, 2.5],
      [4, 0.2],
    ] as const) {
      const value = integrateUnit((x, xc) =>
        Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log(xc)),
      );
      expect(value / Math.exp(lnBeta(a, b))).toBeCloseTo(1, 8);
    }
  });
});

describe('minimize (Nelder–Mead)', () => {
  it('finds the Rosenbrock minimum at (1, 1)', () => {
    const rosenbrock = ([x, y]: number[]) => 100 * (y! - x! * x!) ** 2 + (1 - x!) ** 2;
    const result = minimize(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
  });

  it('treats Infinity and NaN as rejected points', () => {
    const walled = ([x]: number[]) => (x! < 0.5 ? Infinity : (x! - 2) ** 2);
    expect(minimize(walled, [1]).x[0]).toBeCloseTo(2, 5);
    const holey = ([x]: number[]) => (x! > 3 ? Number.NaN : (x! - 2) ** 2);
    expect(minimize(holey, [0]).x[0]).toBeCloseTo(2, 5);
  });
});
