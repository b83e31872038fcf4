import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../shared/index.js';
import { gammaStream, normalStream, sampleIndex, sampleNormal } from './samplers.js';

const N = 100_000;
function moments(draw: () => number): { mean: number; variance: number } {
  const xs = Array.from({ length: N }, draw);
  const mean = xs.reduce((s, x) => s + x, 0) / N;
  return { mean, variance: xs.reduce((s, x) => s + (x - mean) ** 2, 0) / N };
}

describe('seeded samplers', () => {
  it('normals have mean 0 and variance 1, both ways', () => {
    const random = mulberry32(1);
    for (const draw of [normalStream(random), () => sampleNormal(random)]) {
      const { mean, variance } = moments(draw);
      expect(Math.abs(mean)).toBeLessThan(0.02);
      expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    }
  });

  it.each([0.5, 1, 3, 40])('Gamma(%f) has mean and variance equal to its shape', (shape) => {
    const random = mulberry32(2);
    const { mean, variance } = moments(gammaStream(shape, normalStream(random), random));
    expect(Math.abs(mean - shape) / shape).toBeLessThan(0.02);
    expect(Math.abs(variance - shape) / shape).toBeLessThan(0.05);
  });

  it('Beta(30, 500) from two gammas has the right mean and variance', () => {
    const random = mulberry32(3);
    const normal = normalStream(random);
    const x = gammaStream(30, normal, random);
    const y = gammaStream(500, normal, random);
    const { mean, variance } = moments(() => {
      const gx = x();
      return gx / (gx + y());
    });
    expect(mean).toBeCloseTo(30 / 530, 3);
    expect(Math.abs(variance / ((30 * 500) / (530 ** 2 * 531)) - 1)).toBeLessThan(0.05);
  });

  it('the same seed gives the same draws', () => {
    const draw = () => {
      const r = mulberry32(9);
      return Array.from({ length: 5 }, gammaStream(2, normalStream(r), r));
    };
    expect(draw()).toEqual(draw());
  });

  it('an index is drawn in proportion to its weight, never one with weight 0', () => {
    const random = mulberry32(4);
    const counts = [0, 0, 0];
    for (let i = 0; i < N; i++) counts[sampleIndex(random, [1, 0, 3])]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / N).toBeCloseTo(0.25, 2);
    expect(() => gammaStream(0, normalStream(random), random)).toThrow(/shape/);
  });
});
