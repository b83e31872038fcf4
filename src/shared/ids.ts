import { randomFillSync, randomUUID } from 'node:crypto';

// Random bytes are taken from the system 4 KiB at a time: one call per id was a
// measurable share of a decision's cost (a decide logs one id per call).
const POOL = Buffer.alloc(4096);
let used = POOL.length;

function randomSlice(n: number): Buffer {
  if (used + n > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const out = Buffer.from(POOL.subarray(used, used + n));
  used += n;
  return out;
}

/** A random identifier with a readable prefix, e.g. `seg_3k9...`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomSlice(12).toString('base64url')}`;
}

/**
 * A random identifier that sorts by creation time (milliseconds, base 36, then 9 random
 * bytes), e.g. `dec_0mgx3k2a1Vq...`: for ids that are a table's primary key and written
 * often, so each insert lands at the end of the key's index instead of on a random page
 * (a random key dirties one page per row, and each such page is written at commit).
 */
export function newTimeOrderedId(prefix: string, now: number): string {
  return `${prefix}_${Math.max(0, Math.floor(now)).toString(36).padStart(9, '0')}${randomSlice(9).toString('base64url')}`;
}

export function newUuid(): string {
  return randomUUID();
}
