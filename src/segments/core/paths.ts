const INDEX = /^(?:0|[1-9]\d{0,8})$/;

/** `affinities.category.0.value` -> `['affinities', 'category', '0', 'value']`. */
export function splitPath(path: string): string[] {
  return path.split('.');
}

/**
 * Follows a split dotted path through plain data: object keys by name, array elements
 * by decimal index. Only own properties are followed, so `__proto__`, `constructor` or
 * an array's `length` never resolve to something the data did not contain. Anything
 * that cannot be followed yields undefined; this never throws.
 */
export function resolvePath(root: unknown, parts: readonly string[]): unknown {
  let current = root;
  for (const part of parts) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (Array.isArray(current)) {
      if (!INDEX.test(part)) return undefined;
      current = (current as unknown[])[Number(part)];
    } else {
      if (!Object.hasOwn(current, part)) return undefined;
      current = (current as Record<string, unknown>)[part];
    }
  }
  return current;
}
