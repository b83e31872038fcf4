import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf,
  chiSquareSurvival,
  logGamma,
  normalCdf,
  normalQuantile,
  twoSidedP,
  zFor,
} from './distributions.js';

// Reference values from R 4.3 (pnorm, qnorm, pchisq, lgamma) printed to 16 digits.
describe('normal distribution', () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145705],
    [1.959963984540054, 0.975],
    [-3, 0.0013498980316301],
    [2.5, 0.9937903346742238],
    [-8, 6.22096057427178e-16],
    [-20, 2.7536241186061556e-89],
  ])('Φ(%d) = %d', (z, p) => {
    expect(normalCdf(z)).toBeCloseTo(p, 14);
    expect(Math.abs(normalCdf(z) - p) / p).toBeLessThan(1e-9);
  });

  it.each([0.001, 0.01, 0.025, 0.3, 0.5, 0.8, 0.975, 0.9999])('Φ(Φ⁻¹(%d)) round-trips', (p) => {
    expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 13);
  });

  it('gives the familiar quantiles and p-values', () => {
    expect(zFor(0.95)).toBeCloseTo(1.959963984540054, 12);
    expect(zFor(0.99)).toBeCloseTo(2.5758293035489, 12);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514722, 12);
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(twoSidedP(-2.5758293035489)).toBeCloseTo(0.01, 12);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});

describe('χ² distribution', () => {
  it.each([
    [3.841458820694124, 1, 0.95],
    [10.827566170662733, 1, 0.999],
    [5.991464547107979, 2, 0.95],
    [7.814727903251178, 3, 0.95],
    [18.307038053275146, 10, 0.95],
    [0.5, 4, 0.026499021160743],
  ])('P(χ² ≤ %d; df %d) = %d', (x, df, p) => {
    expect(chiSquareCdf(x, df)).toBeCloseTo(p, 12);
    expect(chiSquareSurvival(x, df)).toBeCloseTo(1 - p, 12);
  });

  it('keeps digits deep in the tail, where 1 − CDF would lose them', () => {
    // df 2: survival is exactly exp(−x/2); df 1: survival is 2Φ(−√x).
    expect(chiSquareSurvival(100, 2) / Math.exp(-50)).toBeCloseTo(1, 12);
    expect(chiSquareSurvival(60, 1) / (2 * normalCdf(-Math.sqrt(60)))).toBeCloseTo(1, 9);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });

  it('log-gamma matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(171.5)).toBeCloseTo(709.1431630309282, 8);
  });
});
