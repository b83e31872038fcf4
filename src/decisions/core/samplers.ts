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

/**
 * Standard normals from the polar method, both of each pair used: half the work of
 * `sampleNormal` for the thousands of draws one Thompson decision takes. The pending
 * second value lives in the returned closure only, so each call site stays replayable.
 */
export function normalStream(random: Random): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const out = spare;
      spare = null;
      return out;
    }
    for (;;) {
      const u = 2 * random() - 1;
      const v = 2 * random() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        spare = v * m;
        return u * m;
      }
    }
  };
}

/**
 * A Gamma(shape, 1) drawer: Marsaglia and Tsang (2000) with its constants worked out once;
 * shapes below 1 by the u^(1/shape) boost. Beta(a, b) is X / (X + Y) of two of these.
 */
export function gammaStream(shape: number, normal: () => number, random: Random): () => number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  const boost = shape < 1 ? 1 / shape : 0;
  const d = (shape < 1 ? shape + 1 : shape) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  return () => {
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = open01(random);
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        return boost > 0 ? d * v * Math.pow(open01(random), boost) : d * v;
      }
    }
  };
}
