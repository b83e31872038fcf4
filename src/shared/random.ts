// Seeded pseudo-random numbers: the same seed gives the same sequence on every machine
// and every run, so trained models, evaluations and journey splits can be replayed.
// Journey split arms are drawn from `seededRandom(runId:step)`: changing either function
// would move people between arms of running journeys.

/** A seeded source of floats in [0, 1). */
export type Random = () => number;

/**
 * mulberry32 (Tommy Ettinger): one 32-bit word of state, fast, and good enough for
 * initialisation, shuffles, bootstrap resampling and splits (not for long simulations:
 * the period is 2^32).
 *
 * @example const random = mulberry32(7); random() // the same first number every time
 */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * mulberry32 seeded by the 32-bit FNV-1a hash of `String(seed)`, so any id (a run id, a
 * message id) seeds its own replayable sequence.
 *
 * @example const random = seededRandom('run_1'); random() // same sequence every time
 */
export function seededRandom(seed: number | string): Random {
  return mulberry32(hash32(String(seed)));
}

/** 32-bit FNV-1a of a string. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
