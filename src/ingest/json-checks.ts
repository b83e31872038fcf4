import type { ErrorDetail } from '../shared/index.js';

/**
 * How deeply objects and arrays may nest in one event, the event itself counting as
 * the first level. Real payloads stay under ten; every reader of the log (JSON.stringify,
 * response serializers, trait folding) recurses, and a payload thousands of levels deep
 * overflows their stacks long after it was acknowledged.
 */
export const MAX_JSON_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be stored as text: PostgreSQL text refuses NUL outright, and a lone
 * surrogate is not Unicode (stores turn it into U+FFFD, so two different values would
 * collide).
 */
export function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode (no lone surrogates)';
  return null;
}

const join = (path: readonly (string | number)[]) => path.map(String).join('.');

/**
 * The first thing in a parsed JSON value that the log cannot hold: nesting deeper than
 * {@link MAX_JSON_DEPTH}, or a key or string that is not storable text. Iterative, so
 * any depth is safe to inspect; null when the value is fine.
 *
 * @example
 * findJsonProblem({ traits: { email: 'a\u0000b@x.test' } })
 * // { path: 'traits.email', problem: 'must not contain the NUL character (\\u0000)' }
 */
export function findJsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): ErrorDetail | null {
  const stack: { value: unknown; path: (string | number)[]; depth: number }[] = [
    { value, path: [], depth: 1 },
  ];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path: join(path), problem };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth > maxDepth) {
      return {
        path: join(path),
        problem: `nests deeper than ${maxDepth} levels of objects and arrays`,
      };
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ value: v[i], path: [...path, i], depth: depth + 1 });
      }
      continue;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i]!;
      const keyProblem = textProblem(key);
      if (keyProblem) return { path: join([...path, key]), problem: `key ${keyProblem}` };
      stack.push({ value: inner, path: [...path, key], depth: depth + 1 });
    }
  }
  return null;
}

/** Whether objects and arrays in `value` nest deeper than `maxDepth`. Iterative. */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > maxDepth) return true;
    for (const inner of Array.isArray(v) ? v : Object.values(v)) stack.push([inner, depth + 1]);
  }
  return false;
}

/**
 * Reads a stored event's JSON text for an API answer: the parsed object, or null when it
 * cannot be read or nests past what the ingestion limit allows (events stored before that
 * limit existed, or imported by hand). Serializers recurse; the text is always safe.
 */
export function readStoredPayload(raw: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return nestsDeeperThan(value, MAX_JSON_DEPTH) ? null : (value as Record<string, unknown>);
}
