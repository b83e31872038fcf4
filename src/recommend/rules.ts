import type { CatalogIndex } from './catalog-index.js';
import type { PersonHistory } from './history-store.js';
import type { ItemMatch, RecommendRequest } from './request.js';

/**
 * The hard business rules of one request, compiled against the catalog index so that
 * `eligible(i)` is a handful of array reads. Hard rules are never relaxed: an item that
 * fails one is never returned, whatever the strategy. (Diversity caps are soft; see
 * `selectDiverse`.)
 */
export class Rules {
  private readonly includeCategories: Set<number> | null;
  private readonly excludeCategories: Set<number>;
  private readonly includeBrands: Set<number> | null;
  private readonly excludeBrands: Set<number>;
  private readonly boosts: { match: (i: number) => boolean; factor: number }[];

  /**
   * `blocked[i] === epoch` marks item i excluded for this request: a scratch array the
   * recommender reuses with a fresh epoch per request, so no per-request set is built.
   */
  constructor(
    private readonly req: RecommendRequest,
    private readonly space: CatalogIndex,
    history: PersonHistory | null,
    now: number,
    private readonly blocked: Uint32Array,
    private readonly epoch: number,
  ) {
    const exclude = (id: string) => {
      const i = space.indexOf(id);
      if (i !== undefined) blocked[i] = epoch;
    };
    req.exclude.forEach(exclude);
    req.cart.forEach(exclude);
    if (req.itemId) exclude(req.itemId);
    if (history && (req.excludePurchased || req.excludeSeen)) {
      for (let k = 0; k < history.size; k++) {
        const i = history.items[k]!;
        const bought = history.lastPurchase[k]!;
        if (req.excludeSeen) {
          blocked[i] = epoch;
        } else if (bought > -Infinity) {
          // Replenishable items come back once their replenishment delay has passed.
          const due = space.replenishable[i] === 1 && now - bought >= space.replenishAfterMs[i]!;
          if (!due) blocked[i] = epoch;
        }
      }
    }
    const wanted = [...(req.categories ?? []), ...(req.category ? [req.category] : [])];
    const cat = (c: string) => space.categoryId(c);
    const brand = (b: string) => space.brandId(b);
    this.includeCategories = wanted.length > 0 ? known(wanted, cat) : null;
    this.excludeCategories = known(req.excludeCategories, cat);
    this.includeBrands = req.brands ? known(req.brands, brand) : null;
    this.excludeBrands = known(req.excludeBrands, brand);
    this.boosts = req.boosts.map((b) => ({ match: matcher(b.match, space), factor: b.factor }));
  }

  /** True when every hard rule admits item i. */
  eligible(i: number): boolean {
    const s = this.space;
    if (s.inCatalog[i] !== 1) return false;
    if (s.inStock[i] !== 1 && !this.req.includeOutOfStock) return false;
    if (this.blocked[i] === this.epoch) return false;
    const cats = s.categories[i]!;
    if (this.includeCategories && !cats.some((c) => this.includeCategories!.has(c))) return false;
    if (this.excludeCategories.size > 0 && cats.some((c) => this.excludeCategories.has(c))) {
      return false;
    }
    const brand = s.brand[i]!;
    if (this.includeBrands && !this.includeBrands.has(brand)) return false;
    if (this.excludeBrands.has(brand)) return false;
    const { minPrice, maxPrice } = this.req;
    if (minPrice !== undefined || maxPrice !== undefined) {
      const p = s.price[i]!;
      // An item without a price cannot be shown to satisfy a price range.
      if (Number.isNaN(p)) return false;
      if (minPrice !== undefined && p < minPrice) return false;
      if (maxPrice !== undefined && p > maxPrice) return false;
    }
    return true;
  }

  get hasBoosts(): boolean {
    return this.boosts.length > 0;
  }

  /** Product of the factors of every boost rule that matches item i. */
  boost(i: number): number {
    let f = 1;
    for (const b of this.boosts) if (b.match(i)) f *= b.factor;
    return f;
  }
}

/**
 * Interned ids of the names the catalog knows. Unknown names are dropped, so they match
 * nothing (−1 means "no brand", which an unknown brand name must not select).
 */
function known(names: readonly string[], id: (name: string) => number): Set<number> {
  const out = new Set<number>();
  for (const n of names) {
    const i = id(n);
    if (i >= 0) out.add(i);
  }
  return out;
}

/** Compiles an ItemMatch: all given fields must match, any value within a field. */
export function matcher(m: ItemMatch, space: CatalogIndex): (i: number) => boolean {
  const ids = m.itemIds ? new Set(m.itemIds) : null;
  const cats = m.categories ? known(m.categories, (c) => space.categoryId(c)) : null;
  const brands = m.brands ? known(m.brands, (b) => space.brandId(b)) : null;
  const tags = m.tags ? new Set(m.tags.map((t) => t.toLowerCase())) : null;
  const attrs = m.attributes ? Object.entries(m.attributes) : null;
  return (i) => {
    const item = space.items[i];
    if (!item) return false;
    if (ids && !ids.has(item.id)) return false;
    if (cats && !space.categories[i]!.some((c) => cats.has(c))) return false;
    if (brands && !brands.has(space.brand[i]!)) return false;
    if (tags && !item.tags.some((t) => tags.has(t.toLowerCase()))) return false;
    if (attrs) {
      for (const [k, v] of attrs) {
        const have = item.attributes[k];
        const same =
          typeof have === 'string' && typeof v === 'string'
            ? have.toLowerCase() === v.toLowerCase()
            : have === v;
        if (!same) return false;
      }
    }
    return true;
  };
}
