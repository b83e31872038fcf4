import type { CatalogIndex } from './catalog-index.js';
import type { Candidate, Scorer, ScoringContext } from './scoring.js';
import { TopK } from './top-k.js';

/** The person's viewed items, most recent first (score = time of the last view). */
export class RecentlyViewedScorer implements Scorer {
  readonly strategy = 'recently_viewed' as const;
  readonly name = 'recently_viewed';

  candidates(ctx: ScoringContext, want: number): Candidate[] {
    if (!ctx.history) return [];
    const top = new TopK(want);
    const h = ctx.history;
    for (let k = 0; k < h.size; k++) {
      const seen = h.lastView[k]!;
      if (seen > -Infinity && ctx.eligible(h.items[k]!)) top.push(h.items[k]!, seen);
    }
    return top.sorted().map(({ index, score }) => ({ index, score, because: -1 }));
  }
}

/**
 * The last resort that keeps the promise "never fewer than asked": any eligible catalog
 * item, newest first (items without `createdAt` after, in catalog order). Score 0.
 */
export class CatalogScorer implements Scorer {
  readonly strategy = 'catalog' as const;
  readonly name = 'catalog';
  private readonly order: Int32Array;

  constructor(space: CatalogIndex) {
    const idx: number[] = [];
    for (let i = 0; i < space.size; i++) if (space.inCatalog[i]) idx.push(i);
    const created = space.createdAt;
    idx.sort((a, b) => {
      const ca = created[a]!;
      const cb = created[b]!;
      if (Number.isNaN(ca) !== Number.isNaN(cb)) return Number.isNaN(ca) ? 1 : -1;
      return (Number.isNaN(ca) ? 0 : cb - ca) || a - b;
    });
    this.order = Int32Array.from(idx);
  }

  candidates(ctx: ScoringContext, want: number): Candidate[] {
    const out: Candidate[] = [];
    for (const index of this.order) {
      if (out.length >= want) break;
      if (ctx.eligible(index)) out.push({ index, score: 0, because: -1 });
    }
    return out;
  }
}
