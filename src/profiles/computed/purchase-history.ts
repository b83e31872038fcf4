import { DAY_MS, dayOf } from './affinity-facts.js';
import type { PurchaseSummary } from './bgnbd.js';
import type { OrderFact, ProfileFacts } from './facts-schema.js';
import type { SpendSummary } from './gamma-gamma.js';

/**
 * A person's orders read for the models. Orders on the same UTC calendar day form one
 * purchase occasion: wholesale buyers and split shipments issue several orders a day, and
 * the purchase models count days with a purchase (as the BG/NBD literature and lifetimes
 * do), so a second invoice the same afternoon is not a "repeat purchase".
 */
export interface Occasion {
  /** Time of the first order of the day. */
  at: number;
  /** Sum of the known order values that day; null when none was known. */
  revenue: number | null;
}

export interface PurchaseHistory {
  /** Orders not cancelled, in time order. */
  orders: OrderFact[];
  revenue: number;
  /** Orders with a known value (the AOV denominator). */
  pricedOrders: number;
  refunded: number;
  occasions: Occasion[];
  /** Days between consecutive occasions. */
  gapsDays: number[];
}

/** Orders (cancelled ones dropped), revenue and purchase occasions of a person. */
export function purchaseHistory(facts: ProfileFacts): PurchaseHistory {
  const cancelled = new Set(facts.cancelled_orders);
  const orders = facts.orders.filter((o) => o.id === null || !cancelled.has(o.id));
  let revenue = 0;
  let pricedOrders = 0;
  const occasions: Occasion[] = [];
  let lastDay: number | null = null;
  for (const o of orders) {
    if (o.revenue !== null) {
      revenue += o.revenue;
      pricedOrders++;
    }
    const day = dayOf(o.at);
    const current = occasions[occasions.length - 1];
    if (current && day === lastDay) {
      if (o.revenue !== null) current.revenue = (current.revenue ?? 0) + o.revenue;
    } else {
      occasions.push({ at: o.at, revenue: o.revenue });
      lastDay = day;
    }
  }
  const gapsDays = occasions.slice(1).map((o, i) => (o.at - occasions[i]!.at) / DAY_MS);
  const refunded = facts.refunds.reduce((s, r) => s + (r.amount ?? 0), 0);
  return { orders, revenue, pricedOrders, refunded, occasions, gapsDays };
}

/** The median of a list (mean of the middle two for even lengths); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** (x, t_x, T) in days at `now`; null without orders. */
export function purchaseSummary(history: PurchaseHistory, now: number): PurchaseSummary | null {
  const { occasions } = history;
  const first = occasions[0];
  const last = occasions[occasions.length - 1];
  if (!first || !last) return null;
  const tx = (last.at - first.at) / DAY_MS;
  return { x: occasions.length - 1, tx, T: Math.max(tx, (now - first.at) / DAY_MS) };
}

/** Repeat occasions with a known value and their mean (the Gamma-Gamma input). */
export function spendSummary(history: PurchaseHistory): SpendSummary {
  const repeat = history.occasions.slice(1).filter((o) => o.revenue !== null);
  const total = repeat.reduce((s, o) => s + o.revenue!, 0);
  return { x: repeat.length, mean: repeat.length > 0 ? total / repeat.length : 0 };
}
