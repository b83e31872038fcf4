/**
 * Maps keyed by client strings (event names, trait names, categories) are stored in the facts
 * as arrays of `[key, value]` pairs sorted by key. Three reasons over plain objects:
 * - canonical: the same set of keys always serializes the same way (objects enumerate
 *   integer-like keys first and the rest in insertion order);
 * - safe: a key is data in an array, so `__proto__` or `constructor` can never reach a
 *   prototype, and no reader can mistake an inherited member for a value;
 * - cheap: an immutable update copies an array of references (a memcpy) rather than
 *   re-inserting every property of an object, which matters at hundreds of keys.
 * Keys compare by UTF-16 code units, like `Array.prototype.sort`.
 */
export type Entries<T> = [key: string, value: T][];

/** Index of `key`, or `-(insertion point) - 1` when absent (binary search). */
export function findKey<T>(entries: Entries<T>, key: string): number {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = entries[mid]![0];
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

/** The value at `key`, or undefined. */
export function getEntry<T>(entries: Entries<T>, key: string): T | undefined {
  const i = findKey(entries, key);
  return i >= 0 ? entries[i]![1] : undefined;
}

/** A copy of `entries` with `key` set to `update(current value)`. */
export function updateEntry<T>(
  entries: Entries<T>,
  key: string,
  update: (current: T | undefined) => T,
): Entries<T> {
  const i = findKey(entries, key);
  const copy = entries.slice();
  if (i >= 0) copy[i] = [key, update(entries[i]![1])];
  else copy.splice(-i - 1, 0, [key, update(undefined)]);
  return copy;
}

/** Adds `delta` to the count at `key`. */
export const addCount = (entries: Entries<number>, key: string, delta: number): Entries<number> =>
  updateEntry(entries, key, (n) => (n ?? 0) + delta);

/** The union of two sorted entry lists, `combine` for keys in both. O(n + m). */
export function mergeEntries<T>(
  a: Entries<T>,
  b: Entries<T>,
  combine: (x: T, y: T) => T,
): Entries<T> {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: Entries<T> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [ka, va] = a[i]!;
    const [kb, vb] = b[j]!;
    if (ka < kb) {
      out.push(a[i++]!);
    } else if (ka > kb) {
      out.push(b[j++]!);
    } else {
      out.push([ka, combine(va, vb)]);
      i++;
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** True when keys are strictly increasing (the canonical form). */
export function isCanonical<T>(entries: Entries<T>): boolean {
  for (let i = 1; i < entries.length; i++) if (!(entries[i - 1]![0] < entries[i]![0])) return false;
  return true;
}

/**
 * An object for readers (`Object.fromEntries` defines properties, so a `__proto__` key
 * becomes an own property, never a prototype).
 */
export const toObject = <T>(entries: Entries<T>): Record<string, T> => Object.fromEntries(entries);

/** Element-wise sum of two equally long count arrays. */
export const addArrays = (a: readonly number[], b: readonly number[]): number[] =>
  a.map((v, i) => v + (b[i] ?? 0));
