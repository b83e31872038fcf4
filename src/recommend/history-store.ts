import { remap, type CatalogIndex } from './catalog-index.js';
import { addToEntry, emptyEntry, type FeedbackEntry } from './feedback.js';
import type { HistoryModel } from './history.js';
import type { InteractionKind } from './schemas.js';

/**
 * One person's history in the recommender's item space, column-wise. For people the
 * model knows and nothing has changed, the columns are views into the model's arrays,
 * so reading a history allocates nothing.
 */
export class PersonHistory {
  constructor(
    readonly items: ArrayLike<number>,
    readonly lastView: ArrayLike<number>,
    readonly lastCart: ArrayLike<number>,
    readonly lastPurchase: ArrayLike<number>,
    readonly count: ArrayLike<number>,
    readonly size: number,
  ) {}

  static empty(): PersonHistory {
    return new PersonHistory([], [], [], [], [], 0);
  }

  /** Position of an item in this history, or −1. O(size). */
  find(index: number): number {
    for (let k = 0; k < this.size; k++) if (this.items[k] === index) return k;
    return -1;
  }

  entry(k: number): FeedbackEntry {
    return {
      lastView: this.lastView[k]!,
      lastCart: this.lastCart[k]!,
      lastPurchase: this.lastPurchase[k]!,
      count: this.count[k]!,
      quantity: 0,
    };
  }

  lastAt(k: number): number {
    return Math.max(this.lastView[k]!, this.lastCart[k]!, this.lastPurchase[k]!);
  }

  /** A mutable copy, to add request-only events (anonymous history, cart) to. */
  toMutable(): MutableHistory {
    const m = new MutableHistory();
    for (let k = 0; k < this.size; k++) m.set(this.items[k]!, this.entry(k));
    return m;
  }
}

/** A growable history with O(1) lookup, for people changed by `observe` or a request. */
export class MutableHistory {
  private readonly pos = new Map<number, number>();
  private readonly items: number[] = [];
  private readonly lastView: number[] = [];
  private readonly lastCart: number[] = [];
  private readonly lastPurchase: number[] = [];
  private readonly count: number[] = [];
  private readonly quantity: number[] = [];

  get size(): number {
    return this.items.length;
  }

  get(index: number): FeedbackEntry | undefined {
    const k = this.pos.get(index);
    if (k === undefined) return undefined;
    return {
      lastView: this.lastView[k]!,
      lastCart: this.lastCart[k]!,
      lastPurchase: this.lastPurchase[k]!,
      count: this.count[k]!,
      quantity: this.quantity[k]!,
    };
  }

  set(index: number, e: FeedbackEntry): void {
    let k = this.pos.get(index);
    if (k === undefined) {
      k = this.items.length;
      this.pos.set(index, k);
      this.items.push(index);
    }
    this.lastView[k] = e.lastView;
    this.lastCart[k] = e.lastCart;
    this.lastPurchase[k] = e.lastPurchase;
    this.count[k] = e.count;
    this.quantity[k] = e.quantity;
  }

  /** Adds one event, returning the entry before (null if new) and after. */
  add(
    index: number,
    kind: InteractionKind,
    t: number,
    quantity = 1,
  ): { before: FeedbackEntry | null; after: FeedbackEntry } {
    const before = this.get(index) ?? null;
    const after = before ? { ...before } : emptyEntry();
    addToEntry(after, kind, t, quantity);
    this.set(index, after);
    return { before, after };
  }

  /** Drops the least recently touched item (for the per-person cap). */
  evictOldest(): void {
    let oldest = -1;
    let at = Infinity;
    for (let k = 0; k < this.items.length; k++) {
      const t = Math.max(this.lastView[k]!, this.lastCart[k]!, this.lastPurchase[k]!);
      if (t < at) {
        at = t;
        oldest = k;
      }
    }
    if (oldest < 0) return;
    this.pos.delete(this.items[oldest]!);
    const last = this.items.length - 1;
    const columns = [
      this.items,
      this.lastView,
      this.lastCart,
      this.lastPurchase,
      this.count,
      this.quantity,
    ];
    for (const c of columns) {
      c[oldest] = c[last]!;
      c.pop();
    }
    if (oldest !== last) this.pos.set(this.items[oldest]!, oldest);
  }

  /** A read view over the live columns (valid until the next change). */
  view(): PersonHistory {
    return new PersonHistory(
      this.items,
      this.lastView,
      this.lastCart,
      this.lastPurchase,
      this.count,
      this.items.length,
    );
  }
}

/**
 * Serving-time histories: read straight from the trained model's arrays (item indices
 * remapped once into the recommender's space), copied into a per-person mutable history
 * only when `observe` first changes that person.
 */
export class HistoryStore {
  private readonly rows = new Map<string, number>();
  private readonly overlay = new Map<string, MutableHistory>();
  private readonly items: Int32Array;
  private readonly cap: number;

  constructor(
    private readonly model: HistoryModel | undefined,
    space: CatalogIndex,
  ) {
    this.cap = model?.config.maxItemsPerUser ?? 5000;
    const toSpace = space.indicesOf(model?.itemIds ?? []);
    this.items = remap(model?.item ?? new Int32Array(0), toSpace);
    model?.userIds.forEach((u, r) => this.rows.set(u, r));
  }

  /** The person's history, or null when nothing is known about them. */
  get(userId: string): PersonHistory | null {
    const changed = this.overlay.get(userId);
    if (changed) return changed.view();
    const u = this.rows.get(userId);
    const m = this.model;
    if (u === undefined || !m) return null;
    const a = m.userPtr[u]!;
    const b = m.userPtr[u + 1]!;
    return new PersonHistory(
      this.items.subarray(a, b),
      m.lastView.subarray(a, b),
      m.lastCart.subarray(a, b),
      m.lastPurchase.subarray(a, b),
      m.count.subarray(a, b),
      b - a,
    );
  }

  /** Records one interaction; returns the entry before (null if new) and after. */
  observe(
    userId: string,
    index: number,
    kind: InteractionKind,
    t: number,
    quantity: number,
  ): { before: FeedbackEntry | null; after: FeedbackEntry } {
    let h = this.overlay.get(userId);
    if (!h) {
      h = this.get(userId)?.toMutable() ?? new MutableHistory();
      this.overlay.set(userId, h);
    }
    const change = h.add(index, kind, t, quantity);
    if (h.size > this.cap) h.evictOldest();
    return change;
  }
}
