import type { FeedbackWeights, Interaction, InteractionKind } from './schemas.js';

/**
 * Implicit feedback aggregated per (person, item): the last time of each kind and how
 * often it happened. Stored column-wise, rows grouped by user (CSR), items ascending
 * within a user. This is both the training matrix of the personalized models and the
 * serving-time history of each person.
 */
export interface FeedbackTable {
  userIds: string[];
  itemIds: string[];
  /** Row range of user u: userPtr[u] .. userPtr[u + 1]. */
  userPtr: Int32Array;
  item: Int32Array;
  /** Epoch ms of the last interaction of each kind, −Infinity when none. */
  lastView: Float64Array;
  lastCart: Float64Array;
  lastPurchase: Float64Array;
  /** Number of interactions and summed quantity (1 per interaction without one). */
  count: Int32Array;
  quantity: Float64Array;
}

/** One (person, item) aggregate in mutable form, as the serving history keeps it. */
export interface FeedbackEntry {
  lastView: number;
  lastCart: number;
  lastPurchase: number;
  count: number;
  quantity: number;
}

export const emptyEntry = (): FeedbackEntry => ({
  lastView: -Infinity,
  lastCart: -Infinity,
  lastPurchase: -Infinity,
  count: 0,
  quantity: 0,
});

/** Folds one interaction into an aggregate (order-independent: max of times, sums). */
export function addToEntry(e: FeedbackEntry, kind: InteractionKind, t: number, qty = 1): void {
  if (kind === 'view') e.lastView = Math.max(e.lastView, t);
  else if (kind === 'cart') e.lastCart = Math.max(e.lastCart, t);
  else e.lastPurchase = Math.max(e.lastPurchase, t);
  e.count += 1;
  e.quantity += qty;
}

export const lastAt = (e: FeedbackEntry): number =>
  Math.max(e.lastView, e.lastCart, e.lastPurchase);

/** The strongest kind present, used to word explanations ("bought" over "viewed"). */
export function strongestKind(e: FeedbackEntry): InteractionKind {
  if (e.lastPurchase > -Infinity) return 'purchase';
  if (e.lastCart > -Infinity) return 'cart';
  return 'view';
}

/**
 * Strength of a (person, item) signal at time `now`: the largest kind weight, each decayed
 * by its own age, `max_k w_k · 2^(−age_k / halfLife)`. Using the max rather than a sum
 * keeps a wholesaler who re-orders an item 40 times from drowning everyone else, and the
 * last time per kind is all it needs, so it updates in O(1) per interaction. With
 * `halfLifeMs === null` there is no decay; a future timestamp counts as age 0.
 */
export function entryStrength(
  e: FeedbackEntry,
  weights: FeedbackWeights,
  halfLifeMs: number | null,
  now: number,
): number {
  return strengthOf(e.lastView, e.lastCart, e.lastPurchase, weights, halfLifeMs, now);
}

/** `entryStrength` over the three last-times directly (the serving hot path). */
export function strengthOf(
  lastView: number,
  lastCart: number,
  lastPurchase: number,
  weights: FeedbackWeights,
  halfLifeMs: number | null,
  now: number,
): number {
  return Math.max(
    decayed(weights.view, lastView, halfLifeMs, now),
    decayed(weights.cart, lastCart, halfLifeMs, now),
    decayed(weights.purchase, lastPurchase, halfLifeMs, now),
  );
}

function decayed(w: number, t: number, halfLifeMs: number | null, now: number): number {
  if (t === -Infinity || w === 0) return 0;
  if (halfLifeMs === null) return w;
  return w * Math.pow(2, -Math.max(0, now - t) / halfLifeMs);
}

/** Reads row r of a table as an entry. */
export function tableEntry(t: FeedbackTable, r: number): FeedbackEntry {
  return {
    lastView: t.lastView[r]!,
    lastCart: t.lastCart[r]!,
    lastPurchase: t.lastPurchase[r]!,
    count: t.count[r]!,
    quantity: t.quantity[r]!,
  };
}

export interface TableOptions {
  /** Only these kinds count (default all). */
  kinds?: readonly InteractionKind[];
  /** Only these people count (e.g. a segment's members). */
  userIds?: ReadonlySet<string>;
  /** Keep at most this many items per person, the most recent ones. */
  maxItemsPerUser?: number;
}

/** Aggregates raw interactions into a FeedbackTable in O(N + rows log rows). */
export function buildFeedbackTable(
  interactions: readonly Interaction[],
  options: TableOptions = {},
): FeedbackTable {
  const kinds = options.kinds ? new Set(options.kinds) : null;
  const itemIndex = new Map<string, number>();
  const itemIds: string[] = [];
  const users = new Map<string, Map<number, FeedbackEntry>>();
  for (const x of interactions) {
    if (kinds && !kinds.has(x.kind)) continue;
    if (options.userIds && !options.userIds.has(x.userId)) continue;
    let item = itemIndex.get(x.itemId);
    if (item === undefined) {
      item = itemIds.length;
      itemIndex.set(x.itemId, item);
      itemIds.push(x.itemId);
    }
    let row = users.get(x.userId);
    if (!row) users.set(x.userId, (row = new Map<number, FeedbackEntry>()));
    let e = row.get(item);
    if (!e) row.set(item, (e = emptyEntry()));
    addToEntry(e, x.kind, x.timestamp, x.quantity ?? 1);
  }
  return tableFromRows(users, itemIds, options.maxItemsPerUser);
}

/** Packs per-user maps into a table, keeping the most recent `cap` items per user. */
export function tableFromRows(
  users: ReadonlyMap<string, ReadonlyMap<number, FeedbackEntry>>,
  itemIds: string[],
  cap = Infinity,
): FeedbackTable {
  let rows = 0;
  for (const m of users.values()) rows += Math.min(cap, m.size);
  const t: FeedbackTable = {
    userIds: [],
    itemIds,
    userPtr: new Int32Array(users.size + 1),
    item: new Int32Array(rows),
    lastView: new Float64Array(rows),
    lastCart: new Float64Array(rows),
    lastPurchase: new Float64Array(rows),
    count: new Int32Array(rows),
    quantity: new Float64Array(rows),
  };
  let r = 0;
  for (const [userId, m] of users) {
    let entries = [...m];
    if (entries.length > cap) {
      entries.sort((a, b) => lastAt(b[1]) - lastAt(a[1]) || a[0] - b[0]);
      entries = entries.slice(0, cap);
    }
    entries.sort((a, b) => a[0] - b[0]);
    for (const [item, e] of entries) {
      t.item[r] = item;
      t.lastView[r] = e.lastView;
      t.lastCart[r] = e.lastCart;
      t.lastPurchase[r] = e.lastPurchase;
      t.count[r] = e.count;
      t.quantity[r] = e.quantity;
      r++;
    }
    t.userIds.push(userId);
    t.userPtr[t.userIds.length] = r;
  }
  return t;
}
