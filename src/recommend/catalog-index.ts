import type { CatalogItem } from './schemas.js';
import { DAY_MS } from './schemas.js';

/**
 * The recommender's item space: every catalog item plus every item a model knows, each
 * with a dense index, and the catalog facts the rules need as flat arrays so that an
 * eligibility check is a few array reads.
 */
export class CatalogIndex {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  readonly items: (CatalogItem | undefined)[] = [];
  /** 1 when the item is in the catalog. */
  readonly inCatalog: Uint8Array;
  /** 1 when in the catalog and not marked out of stock. */
  readonly inStock: Uint8Array;
  /** Interned lower-cased categories per item; the first is the primary one. */
  readonly categories: Int32Array[];
  readonly brand: Int32Array;
  readonly price: Float64Array;
  readonly createdAt: Float64Array;
  readonly replenishable: Uint8Array;
  /** Minimum time after a purchase before a replenishable item is shown again. */
  readonly replenishAfterMs: Float64Array;
  private readonly categoryIds = new Map<string, number>();
  private readonly brandIds = new Map<string, number>();

  constructor(catalog: readonly CatalogItem[], otherIds: Iterable<string>) {
    for (const item of catalog) this.add(item.id, item);
    for (const id of otherIds) if (!this.index.has(id)) this.add(id, undefined);
    const n = this.ids.length;
    this.inCatalog = new Uint8Array(n);
    this.inStock = new Uint8Array(n);
    this.categories = [];
    this.brand = new Int32Array(n).fill(-1);
    this.price = new Float64Array(n).fill(NaN);
    this.createdAt = new Float64Array(n).fill(NaN);
    this.replenishable = new Uint8Array(n);
    this.replenishAfterMs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const item = this.items[i];
      if (!item) {
        this.categories.push(new Int32Array(0));
        continue;
      }
      this.inCatalog[i] = 1;
      const out = item.inStock === false || (item.stock !== undefined && item.stock <= 0);
      this.inStock[i] = out ? 0 : 1;
      this.categories.push(Int32Array.from(item.categories, (c) => this.internCategory(c)));
      if (item.brand !== undefined) this.brand[i] = intern(this.brandIds, item.brand);
      if (item.price !== undefined) this.price[i] = item.price;
      if (item.createdAt !== undefined) this.createdAt[i] = item.createdAt;
      const attr = item.attributes;
      if (
        attr.replenishable === true ||
        attr.replenishable === 'true' ||
        item.tags.some((t) => t.toLowerCase() === 'replenishable')
      ) {
        this.replenishable[i] = 1;
        const days = attr.replenishAfterDays;
        if (typeof days === 'number' && days > 0) this.replenishAfterMs[i] = days * DAY_MS;
      }
    }
  }

  private add(id: string, item: CatalogItem | undefined): void {
    this.index.set(id, this.ids.length);
    this.ids.push(id);
    this.items.push(item);
  }

  private internCategory(c: string): number {
    return intern(this.categoryIds, c);
  }

  get size(): number {
    return this.ids.length;
  }

  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }

  /** Interned id of a category name (case-insensitive), or −1 if no item has it. */
  categoryId(name: string): number {
    return this.categoryIds.get(name.toLowerCase()) ?? -1;
  }

  brandId(name: string): number {
    return this.brandIds.get(name.toLowerCase()) ?? -1;
  }

  primaryCategory(i: number): number {
    return this.categories[i]![0] ?? -1;
  }

  /** Each id's index in this space (−1 for none). */
  indicesOf(ids: readonly string[]): Int32Array {
    const out = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = this.index.get(ids[i]!) ?? -1;
    return out;
  }

  title(i: number): string {
    return this.items[i]?.title ?? this.ids[i]!;
  }
}

function intern(map: Map<string, number>, name: string): number {
  const key = name.toLowerCase();
  let id = map.get(key);
  if (id === undefined) map.set(key, (id = map.size));
  return id;
}

/** `map[x]` for every x, in a plain loop (typed-array `from` with a callback is slow). */
export function remap(indices: Int32Array, map: Int32Array): Int32Array {
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = map[indices[i]!]!;
  return out;
}
