import { z } from 'zod';
import type { JourneyEvent } from './journey-event.js';
import { getPath, keyOf } from './paths.js';

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const OPERATORS = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'exists', 'contains'];

/**
 * One comparison on a value read from an event, e.g. `{ "eq": "shoes" }`, `{ "gte": 50 }`,
 * `{ "in": ["a", "b"] }`, `{ "exists": true }`. Exactly one operator.
 */
export const FilterOperator = z
  .strictObject({
    eq: Scalar.optional(),
    neq: Scalar.optional(),
    in: z.array(Scalar).max(1000).optional(),
    not_in: z.array(Scalar).max(1000).optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    exists: z.boolean().optional(),
    contains: Scalar.optional(),
  })
  .superRefine((op, ctx) => {
    const n = OPERATORS.filter((k) => k in op).length;
    if (n !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `needs exactly one operator of ${OPERATORS.join(', ')} (found ${n})`,
      });
    }
  });
export type FilterOperator = z.infer<typeof FilterOperator>;

/** Property filters: dotted event path -> operator, all must hold. */
export const EventFilter = z
  .record(z.string().min(1).max(200), FilterOperator)
  .refine((r) => Object.keys(r).length <= 20, { message: 'at most 20 filters' });
export type EventFilter = z.infer<typeof EventFilter>;

/** Which events a goal, an exit rule or a wait listens for. */
export const EventMatcher = z.strictObject({
  event: z.string().min(1).max(200),
  where: EventFilter.optional(),
  /**
   * Dotted path in the incoming event whose value must equal the run's key (the value
   * the trigger's `key` path had), e.g. `properties.cart_id`: only this cart's order.
   */
  key: z.string().min(1).max(200).optional(),
});
export type EventMatcher = z.infer<typeof EventMatcher>;

// Numbers and numeric strings compare as numbers (`"42"` equals 42); everything else
// compares strictly. Strings are case-sensitive.
function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    return x !== null && y !== null && x === y;
  }
  return false;
}

/** Whether a value satisfies one operator. Never throws on odd data: it is just false. */
export function matchesOperator(value: unknown, op: FilterOperator): boolean {
  if (op.exists !== undefined) return (value !== undefined && value !== null) === op.exists;
  if ('eq' in op) return same(value, op.eq);
  if ('neq' in op) return !same(value, op.neq);
  if (op.in) return op.in.some((x) => same(value, x));
  if (op.not_in) return !op.not_in.some((x) => same(value, x));
  if ('contains' in op) {
    if (Array.isArray(value)) return value.some((x) => same(x, op.contains));
    return typeof value === 'string' && typeof op.contains === 'string'
      ? value.includes(op.contains)
      : false;
  }
  const n = asNumber(value);
  if (n === null) return false;
  if (op.gt !== undefined) return n > op.gt;
  if (op.gte !== undefined) return n >= op.gte;
  if (op.lt !== undefined) return n < op.lt;
  if (op.lte !== undefined) return n <= op.lte;
  return false;
}

/** Whether an event passes every filter. */
export function matchesFilter(event: JourneyEvent, where: EventFilter | undefined): boolean {
  if (!where) return true;
  for (const path in where) {
    if (!matchesOperator(getPath(event, path), where[path]!)) return false;
  }
  return true;
}

/**
 * Whether an event is the one a matcher listens for. With `matcher.key`, the event's
 * value at that path must equal `runKey`; a run without a key never matches a keyed
 * matcher (validation forbids that combination).
 */
export function matchesEvent(
  event: JourneyEvent,
  matcher: EventMatcher,
  runKey: string | null,
): boolean {
  if (event.event !== matcher.event) return false;
  if (
    matcher.key !== undefined &&
    (runKey === null || keyOf(getPath(event, matcher.key)) !== runKey)
  )
    return false;
  return matchesFilter(event, matcher.where);
}
