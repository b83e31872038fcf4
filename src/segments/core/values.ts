/*
 * The type rules, defined once and used by every operator:
 * - A number and a numeric string are compared as numbers (`"555"` equals `555`); two
 *   strings are compared as text, exactly and case-sensitively (as SQL `=` does).
 * - Booleans equal only booleans. null, objects and arrays equal nothing (`contains`
 *   looks inside arrays).
 * - Numeric operators read finite numbers and numeric strings; anything else fails them.
 * - Dates are epoch milliseconds (numbers) or ISO 8601 strings (see dates.ts).
 */

export type Scalar = string | number | boolean;

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** A finite number, or a decimal numeric string read as one; otherwise undefined. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A string, a finite number or a boolean: the values eq/neq/in/not_in compare. */
export function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Builds `actual => actual equals expected` under the type rules above. */
export function equalsTo(expected: Scalar): (actual: unknown) => boolean {
  if (typeof expected === 'boolean') return (actual) => actual === expected;
  if (typeof expected === 'number') {
    return (actual) =>
      typeof actual === 'number'
        ? actual === expected
        : typeof actual === 'string' && toNumber(actual) === expected;
  }
  const asNumber = toNumber(expected);
  return (actual) =>
    typeof actual === 'string'
      ? actual === expected
      : typeof actual === 'number' && asNumber !== undefined && actual === asNumber;
}

/** Builds `actual => actual equals one of expected`, with set lookups instead of a scan. */
export function memberOf(expected: readonly Scalar[]): (actual: unknown) => boolean {
  const texts = new Set<string>();
  const numbers = new Set<number>();
  const textNumbers = new Set<number>();
  const booleans = new Set<boolean>();
  for (const value of expected) {
    if (typeof value === 'string') {
      texts.add(value);
      const n = toNumber(value);
      if (n !== undefined) textNumbers.add(n);
    } else if (typeof value === 'number') numbers.add(value);
    else booleans.add(value);
  }
  return (actual) => {
    if (typeof actual === 'string') {
      if (texts.has(actual)) return true;
      if (numbers.size === 0) return false;
      const n = toNumber(actual);
      return n !== undefined && numbers.has(n);
    }
    if (typeof actual === 'number') return numbers.has(actual) || textNumbers.has(actual);
    return typeof actual === 'boolean' && booleans.has(actual);
  };
}
