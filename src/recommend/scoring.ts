import { TopK } from './top-k.js';
import type { PersonHistory } from './history-store.js';

/** A scored item in the recommender's space; `because` is the item that led to it, or −1. */
export interface Candidate {
  index: number;
  score: number;
  because: number;
}

/** An item a strategy starts from (the product page, the cart, recent history). */
export interface Seed {
  index: number;
  weight: number;
}

/** What a scorer may read about the request. */
export interface ScoringContext {
  now: number;
  history: PersonHistory | null;
  seeds: readonly Seed[];
  /** Hard rules and the items already chosen by earlier strategies. */
  eligible(index: number): boolean;
}

export type StrategyKind =
  | 'popular'
  | 'trending'
  | 'bought_together'
  | 'viewed_together'
  | 'personalized'
  | 'similar'
  | 'recently_viewed'
  | 'catalog';

/** One strategy at serving time: from context to its best eligible candidates. */
export interface Scorer {
  readonly name: string;
  readonly strategy: StrategyKind;
  /** Up to `want` eligible candidates, best first; empty when it has too little data. */
  candidates(ctx: ScoringContext, want: number): Candidate[];
}

/**
 * Selects the best eligible entries of a sparse accumulator (scores in `acc` at the
 * `touched` indices), then clears it for the next request. Only positive scores count.
 */
export function drainAccumulator(
  acc: Float64Array,
  from: Int32Array,
  touched: number[],
  eligible: (index: number) => boolean,
  want: number,
): Candidate[] {
  const top = new TopK(want);
  for (const j of touched) {
    const s = acc[j]!;
    if (s > 0 && s >= top.threshold() && eligible(j)) top.push(j, s);
  }
  const out = top.sorted().map(({ index, score }) => ({ index, score, because: from[index]! }));
  for (const j of touched) {
    acc[j] = 0;
    from[j] = -1;
  }
  touched.length = 0;
  return out;
}
