/**
 * A seeded generator of numbers in [0, 1) (mulberry32 over a 32-bit FNV-1a hash of the
 * seed): the shell and the simulator pass one as `env.random`, so a split is replayable.
 *
 * @example const random = seededRandom('run_1'); random() // same sequence every time
 */
export function seededRandom(seed: number | string): () => number {
  let state = hash32(String(seed));
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
