import { z } from 'zod';
import { ComputedTraits } from './computed-traits.js';

/** Where a dotted computed-trait path leaves the known shape, and the names known there. */
export interface UnknownComputedPath {
  /** The path up to and including the unknown part, e.g. `rfm.scroe`. */
  at: string;
  /** The unknown part itself. */
  name: string;
  /** The names that exist at that point. */
  known: string[];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodNullable || s instanceof z.ZodOptional || s instanceof z.ZodDefault)
    s = s.unwrap() as z.ZodType;
  return s;
}

/**
 * Checks a path such as `rfm.code`, `affinities.category.0.value` or `event_counts.Order
 * Completed` against the computed traits' schema: object keys must exist; map keys (event
 * counts, stated traits) and list indexes are free. Null when the path can exist.
 *
 * @example unknownComputedPath('odrer_count') // { at: 'odrer_count', name: 'odrer_count', known: [...] }
 */
export function unknownComputedPath(path: string): UnknownComputedPath | null {
  const parts = path.split('.');
  let schema: z.ZodType = ComputedTraits;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const s = unwrap(schema);
    if (s instanceof z.ZodObject) {
      const shape = s.shape as Record<string, z.ZodType>;
      const next = Object.hasOwn(shape, part) ? shape[part] : undefined;
      if (!next)
        return { at: parts.slice(0, i + 1).join('.'), name: part, known: Object.keys(shape) };
      schema = next;
    } else if (s instanceof z.ZodRecord) {
      schema = s.valueType as z.ZodType;
    } else if (s instanceof z.ZodArray) {
      if (!/^\d+$/.test(part))
        return { at: parts.slice(0, i + 1).join('.'), name: part, known: [] };
      schema = s.element as z.ZodType;
    } else {
      // A scalar (or a shape this walk does not know): nothing below it to check.
      return null;
    }
  }
  return null;
}
