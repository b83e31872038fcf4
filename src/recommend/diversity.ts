/** A candidate in the merged pool, in pool order (earlier strategies first). */
export interface PoolItem {
  index: number;
}

export interface DiversityOptions {
  limit: number;
  /** At most this many items per primary category (soft: see below). */
  maxPerCategory?: number | undefined;
  /** MMR trade-off λ in [0, 1]: 1 = pure relevance, 0 = pure novelty. */
  mmrLambda?: number | undefined;
  category(index: number): number;
  similarity(a: number, b: number): number;
}

/**
 * Picks up to `limit` pool positions. With `mmrLambda`, greedy Maximal Marginal
 * Relevance (Carbonell & Goldstein, SIGIR 1998): each step takes the item maximising
 * λ·rel − (1 − λ)·max sim to the items already taken, where rel = 1 − position/pool
 * size (ranks, because scores of different strategies are not comparable). With
 * `maxPerCategory`, items whose primary category is full are skipped. The caller relaxes
 * the cap only when the whole eligible catalog cannot fill the list without it.
 * O(limit × pool) similarity evaluations with MMR, O(pool) without.
 */
export function selectDiverse(pool: readonly PoolItem[], o: DiversityOptions): number[] {
  const cap = o.maxPerCategory ?? Infinity;
  const perCategory = new Map<number, number>();
  const full = (i: number) => {
    const c = o.category(pool[i]!.index);
    return c >= 0 && (perCategory.get(c) ?? 0) >= cap;
  };
  const take = (i: number, out: number[]) => {
    const c = o.category(pool[i]!.index);
    if (c >= 0) perCategory.set(c, (perCategory.get(c) ?? 0) + 1);
    out.push(i);
  };
  const out: number[] = [];
  if (o.mmrLambda === undefined) {
    for (let i = 0; i < pool.length && out.length < o.limit; i++) if (!full(i)) take(i, out);
    return out;
  }
  const lambda = o.mmrLambda;
  const n = pool.length;
  const maxSim = new Float64Array(n);
  const chosen = new Uint8Array(n);
  while (out.length < o.limit) {
    let best = -1;
    let bestV = -Infinity;
    for (let i = 0; i < n; i++) {
      if (chosen[i] || full(i)) continue;
      const v = lambda * (1 - i / n) - (1 - lambda) * maxSim[i]!;
      if (v > bestV) {
        bestV = v;
        best = i;
      }
    }
    if (best < 0) break;
    chosen[best] = 1;
    take(best, out);
    const b = pool[best]!.index;
    for (let i = 0; i < n; i++) {
      if (!chosen[i]) maxSim[i] = Math.max(maxSim[i]!, o.similarity(pool[i]!.index, b));
    }
  }
  return out;
}
