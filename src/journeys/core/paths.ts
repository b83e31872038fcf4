/**
 * Reads a dotted path (`properties.cart_id`, `products.0.sku`) from plain JSON data.
 * Only own properties are followed, so `__proto__` or `constructor` never reach a
 * prototype.
 */
export function getPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * The key a value stands for: strings as they are, finite numbers in decimal (so a cart
 * id sent as 42 and as "42" is the same cart); anything else is no key.
 */
export function keyOf(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
