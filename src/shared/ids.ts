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

export function newUuid(): string {
  return randomUUID();
}
