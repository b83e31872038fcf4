import type {
  BgNbdParams,
  GammaGammaParams,
  PurchaseSummary,
  SpendSummary,
} from '../../src/profiles/computed/index.js';

/**
 * Seeded simulation of the purchase models, for tests and benchmarks: draw customers from
 * known parameters and check that a fit recovers them. Deterministic given the seed.
 * Kept in test/ so it never ships in dist/.
 */
export interface Rng {
  /** Uniform on [0, 1). */
  next(): number;
}

/**
 * sfc32 seeded through splitmix32: fast, 128-bit state, good statistical quality. Not
 * shared's mulberry32: a simulation draws millions of numbers (a 2^32 period is too
 * short for comfort), and the fits' tolerances were calibrated on this sequence.
 */
export function seededRng(seed: number): Rng {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let [a, b, c, d] = [split(), split(), split(), split()];
  return {
    next() {
      const t = (((a + b) >>> 0) + d) >>> 0;
      d = (d + 1) >>> 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) >>> 0;
      c = ((c << 21) | (c >>> 11)) >>> 0;
      c = (c + t) >>> 0;
      return t / 4294967296;
    },
  };
}

/** Standard normal by Box–Muller. */
export function normal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), boosted for shape < 1. */
export function gamma(rng: Rng, shape: number, rate: number): number {
  if (shape < 1) return gamma(rng, shape + 1, rate) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a, 1);
  return x / (x + gamma(rng, b, 1));
}

/** Exponential with the given rate. */
export const exponential = (rng: Rng, rate: number): number => -Math.log(1 - rng.next()) / rate;

/**
 * Customers drawn from a BG/NBD population, each observed for `age(i)` days after their
 * first purchase: λ ~ Gamma(r, α), p ~ Beta(a, b); purchases arrive as Poisson(λ) and after
 * each repeat purchase the customer leaves with probability p.
 */
export function simulateBgNbd(
  params: BgNbdParams,
  customers: number,
  age: (i: number) => number,
  rng: Rng,
): PurchaseSummary[] {
  const out: PurchaseSummary[] = [];
  for (let i = 0; i < customers; i++) {
    const T = age(i);
    const lambda = gamma(rng, params.r, params.alpha);
    const p = beta(rng, params.a, params.b);
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += exponential(rng, lambda);
      if (t > T) break;
      x++;
      tx = t;
      if (rng.next() < p) break;
    }
    out.push({ x, tx, T });
  }
  return out;
}

/** Customers drawn from a Gamma-Gamma population, each with `count(i)` ≥ 1 transactions. */
export function simulateGammaGamma(
  params: GammaGammaParams,
  customers: number,
  count: (i: number) => number,
  rng: Rng,
): SpendSummary[] {
  const out: SpendSummary[] = [];
  for (let i = 0; i < customers; i++) {
    const nu = gamma(rng, params.q, params.gamma);
    const x = count(i);
    let sum = 0;
    for (let j = 0; j < x; j++) sum += gamma(rng, params.p, nu);
    out.push({ x, mean: sum / x });
  }
  return out;
}
