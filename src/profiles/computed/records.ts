/**
 * Canonical records. Facts must be byte-identical however the events arrived, so every
 * record keeps its keys in sorted order (JavaScript then enumerates integer-like keys first,
 * which is still a function of the key set alone). Client keys are data: a key named
 * `__proto__` is stored with `Object.defineProperty` / `Object.fromEntries`, never by
 * assignment, so it can never replace a prototype.
 */

export type Rec<T> = Record<string, T>;

const byKey = <T>(a: [string, T], b: [string, T]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The own value at `key`, or undefined. */
export function get<T>(rec: Rec<T>, key: string): T | undefined {
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

/** A sorted record from entries (later duplicates win). */
export function fromEntries<T>(entries: [string, T][]): Rec<T> {
  return Object.fromEntries([...entries].sort(byKey));
}

/** A copy of `rec` with `key` set to `value`, keys kept in canonical order. */
export function withKey<T>(rec: Rec<T>, key: string, value: T): Rec<T> {
  if (!Object.hasOwn(rec, key)) return fromEntries([...Object.entries(rec), [key, value]]);
  const copy = { ...rec };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A copy of `rec` without the keys `keep` rejects, in canonical order. */
export function filterRecord<T>(rec: Rec<T>, keep: (value: T, key: string) => boolean): Rec<T> {
  return fromEntries(Object.entries(rec).filter(([k, v]) => keep(v, k)));
}

/** Adds `delta` to the count at `key`. */
export function addCount(rec: Rec<number>, key: string, delta: number): Rec<number> {
  return withKey(rec, key, (get(rec, key) ?? 0) + delta);
}

/** Merges two records key by key with `combine` for keys present in both. */
export function mergeRecords<T>(a: Rec<T>, b: Rec<T>, combine: (x: T, y: T) => T): Rec<T> {
  const out = new Map<string, T>(Object.entries(a));
  for (const [k, v] of Object.entries(b)) {
    const mine = out.get(k);
    out.set(k, mine === undefined ? v : combine(mine, v));
  }
  return fromEntries([...out]);
}

/** Element-wise sum of two equally long count arrays. */
export const addArrays = (a: readonly number[], b: readonly number[]): number[] =>
  a.map((v, i) => v + (b[i] ?? 0));
