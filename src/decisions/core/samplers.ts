// Seeded samplers for the posterior draws of Thompson sampling and the synthetic data of
// the off-policy tests. All take the project's seeded `Random` so a run replays exactly.
import type { Random } from '../../shared/index.js';

/** A uniform in (0, 1): never 0, so logarithms stay finite. */
function open01(random: Random): number {
  let u = random();
  while (u === 0) u = random();
  return u;
}

/** Standard normal by the Marsaglia polar method (one of the pair is dropped: no hidden state). */
export function sampleNormal(random: Random, mean = 0, sd = 1): number {
  for (;;) {
    const u = 2 * random() - 1;
    const v = 2 * random() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return mean + sd * u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below 1 by the u^(1/shape) boost. */
export function sampleGamma(random: Random, shape: number): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) return sampleGamma(random, shape + 1) * Math.pow(open01(random), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = open01(random);
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(alpha, beta) as X / (X + Y) of two gammas. */
export function sampleBeta(random: Random, alpha: number, beta: number): number {
  const x = sampleGamma(random, alpha);
  const y = sampleGamma(random, beta);
  return x + y === 0 ? 0.5 : x / (x + y);
}

/** An index drawn with the given weights (which need not sum to 1; all zero picks uniformly). */
export function sampleIndex(random: Random, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  if (!(total > 0)) return Math.min(weights.length - 1, Math.floor(random() * weights.length));
  let u = random() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0 && weights[i]! > 0) return i;
  }
  // Rounding left u a hair above 0: the last action with weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return weights.length - 1;
}
