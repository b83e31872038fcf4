import { amountField, field, idField, type Json } from './fields.js';
import type { OrderFact, RefundFact } from './facts-schema.js';
import { isLater } from './stamps.js';

/**
 * The amount of an order-like event (Segment e-commerce spec): `revenue`, else `total`,
 * else the sum of `price × quantity` over `products`. A product with a junk or negative
 * price or quantity adds nothing (a missing quantity means 1); null when no usable amount
 * was sent at all, so an order of unknown value is not mistaken for a free one.
 */
export function orderAmount(props: Json): number | null {
  const revenue = amountField(props, 'revenue') ?? amountField(props, 'total');
  if (revenue !== undefined) return revenue;
  const products = field(props, 'products');
  if (!Array.isArray(products)) return null;
  let sum = 0;
  let priced = false;
  for (const product of products) {
    const price = amountField(product, 'price');
    const rawQuantity = field(product, 'quantity');
    const quantity = rawQuantity === undefined ? 1 : amountField(product, 'quantity');
    if (price === undefined || quantity === undefined) continue;
    sum += price * quantity;
    priced = true;
  }
  return priced && Number.isFinite(sum) ? sum : null;
}

/** Canonical order of the order list: by time, then id, then messageId. */
function compareOrders(a: OrderFact, b: OrderFact): number {
  if (a.at !== b.at) return a.at - b.at;
  const ai = a.id ?? '';
  const bi = b.id ?? '';
  if (ai !== bi) return ai < bi ? -1 : 1;
  return a.m < b.m ? -1 : a.m > b.m ? 1 : 0;
}

/** Same order: same order id, or (without one) the same event. */
const sameOrder = (a: OrderFact, b: OrderFact) =>
  a.id !== null || b.id !== null ? a.id === b.id : a.m === b.m;

/** Inserts `item` after every entry that sorts before or equal to it. */
function insertSorted<T>(list: readonly T[], item: T, compare: (a: T, b: T) => number): T[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(list[mid]!, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return [...list.slice(0, lo), item, ...list.slice(lo)];
}

/**
 * Adds an order. Two reports of one order id keep the later report (greater time, then
 * messageId), so a resend or a corrected resend never counts twice, in any arrival order.
 */
export function addOrder(list: readonly OrderFact[], order: OrderFact): OrderFact[] {
  const i = list.findIndex((o) => sameOrder(o, order));
  if (i === -1) return insertSorted(list, order, compareOrders);
  const existing = list[i]!;
  if (!isLater(order, existing)) return list as OrderFact[];
  return insertSorted([...list.slice(0, i), ...list.slice(i + 1)], order, compareOrders);
}

/** The union of two order lists under the same de-duplication. */
export function mergeOrders(a: readonly OrderFact[], b: readonly OrderFact[]): OrderFact[] {
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  return small.reduce<OrderFact[]>((list, o) => addOrder(list, o), [...large]);
}

const compareRefunds = (a: RefundFact, b: RefundFact) =>
  a.at !== b.at ? a.at - b.at : a.m < b.m ? -1 : a.m > b.m ? 1 : 0;

/** Adds a refund (refunds are separate events: one per messageId). */
export function addRefund(list: readonly RefundFact[], refund: RefundFact): RefundFact[] {
  if (list.some((r) => r.m === refund.m)) return list as RefundFact[];
  return insertSorted(list, refund, compareRefunds);
}

/** The union of two refund lists (one refund per messageId). */
export const mergeRefunds = (a: readonly RefundFact[], b: readonly RefundFact[]): RefundFact[] =>
  b.reduce<RefundFact[]>((list, r) => addRefund(list, r), [...a]);

/** Adds ids to a sorted set of strings. */
export function addIds(set: readonly string[], ids: readonly string[]): string[] {
  const fresh = ids.filter((id) => !set.includes(id));
  if (fresh.length === 0) return set as string[];
  return [...new Set([...set, ...fresh])].sort();
}

/** The order id of an order event, if it has one. */
export const orderId = (props: Json): string | null => idField(props, 'order_id') ?? null;
