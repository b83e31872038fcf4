/**
 * Junk-tolerant readers for client objects. A field of the wrong type, a negative amount or
 * NaN reads as "absent": one bad field is ignored, it never throws and never reaches the
 * facts. Reads use `Object.hasOwn`, so a missing key named `__proto__` or `constructor`
 * cannot pick up `Object.prototype` members.
 */

export type Json = Record<string, unknown>;

/** A non-null, non-array object. */
export const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The own property `key` of `obj`, or undefined. */
export function field(obj: unknown, key: string): unknown {
  return isObject(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** A nested object field, or undefined. */
export function objectField(obj: unknown, key: string): Json | undefined {
  const v = field(obj, key);
  return isObject(v) ? v : undefined;
}

/** A finite number ≥ 0, or undefined (strings, NaN, ±Infinity and negatives are junk). */
export function amountField(obj: unknown, key: string): number | undefined {
  const v = field(obj, key);
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** Longest label kept: longer values are junk rather than a category or a colour. */
export const MAX_LABEL_LENGTH = 200;

/**
 * A short display label: a trimmed string with inner whitespace collapsed (numbers are
 * accepted as text: a size of `42` is the label "42"), or undefined when empty or too long.
 */
export function labelField(obj: unknown, key: string): string | undefined {
  const v = field(obj, key);
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  if (typeof s !== 'string') return undefined;
  const label = s.trim().replace(/\s+/g, ' ');
  return label.length > 0 && label.length <= MAX_LABEL_LENGTH ? label : undefined;
}

/** An identifier: a non-empty string or a finite number as its decimal text. */
export function idField(obj: unknown, key: string): string | undefined {
  const v = field(obj, key);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const id = v.trim();
  return id.length > 0 && id.length <= 1024 ? id : undefined;
}
