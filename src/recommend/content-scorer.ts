import type { CatalogIndex } from './catalog-index.js';
import {
  itemTerms,
  sparseDot,
  vectorize,
  type ContentModel,
  type SparseVector,
} from './content.js';
import { drainAccumulator, type Candidate, type Scorer, type ScoringContext } from './scoring.js';

/**
 * "Similar to X" at serving time. Items the model was trained with use their
 * precomputed neighbours; catalog items added since (cold start) are vectorised with the
 * model's vocabulary and compared with every item, O(total terms).
 */
export class ContentScorer implements Scorer {
  readonly strategy = 'similar' as const;
  readonly name: string;
  private readonly fromSpace: Int32Array;
  private readonly toSpace: Int32Array;
  private readonly extra = new Map<number, SparseVector>();
  private readonly acc: Float64Array;
  private readonly from: Int32Array;
  private readonly best: Float64Array;

  constructor(
    private readonly model: ContentModel,
    private readonly space: CatalogIndex,
  ) {
    this.name = model.name;
    this.toSpace = space.indicesOf(model.itemIds);
    this.fromSpace = new Int32Array(space.size).fill(-1);
    this.toSpace.forEach((idx, m) => {
      if (idx >= 0) this.fromSpace[idx] = m;
    });
    const index = new Map(model.vocabulary.map((t, i) => [t, i]));
    for (let i = 0; i < space.size; i++) {
      const item = space.items[i];
      if (item && this.fromSpace[i] === -1) {
        this.extra.set(i, vectorize(itemTerms(item, model.config.fieldWeights), index, model.idf));
      }
    }
    this.acc = new Float64Array(space.size);
    this.from = new Int32Array(space.size).fill(-1);
    this.best = new Float64Array(space.size);
  }

  /** The item's TF-IDF vector, or null if it has none. */
  vector(index: number): SparseVector | null {
    const m = this.fromSpace[index] ?? -1;
    if (m >= 0) {
      const { vecPtr, vecTerms, vecWeights } = this.model;
      return {
        terms: vecTerms.subarray(vecPtr[m], vecPtr[m + 1]),
        weights: vecWeights.subarray(vecPtr[m], vecPtr[m + 1]),
      };
    }
    return this.extra.get(index) ?? null;
  }

  /** Cosine similarity of two items' content, 0 when either has no vector. */
  similarity(a: number, b: number): number {
    const va = this.vector(a);
    const vb = this.vector(b);
    if (!va || !vb) return 0;
    return sparseDot(va.terms, va.weights, vb.terms, vb.weights);
  }

  candidates(ctx: ScoringContext, want: number): Candidate[] {
    const touched: number[] = [];
    const { acc, from, best } = this;
    const add = (j: number, s: number, seed: number) => {
      if (j === seed || !(s > 0)) return;
      if (acc[j] === 0) touched.push(j);
      acc[j]! += s;
      if (s > best[j]!) {
        best[j] = s;
        from[j] = seed;
      }
    };
    for (const seed of ctx.seeds) {
      const m = this.fromSpace[seed.index] ?? -1;
      if (m >= 0) {
        const { rowPtr, cols, sims } = this.model;
        for (let p = rowPtr[m]!; p < rowPtr[m + 1]!; p++) {
          add(this.toSpace[cols[p]!]!, seed.weight * sims[p]!, seed.index);
        }
      } else if (this.extra.has(seed.index)) {
        for (const [j, s] of this.coldNeighbours(seed.index)) add(j, seed.weight * s, seed.index);
      }
    }
    for (const j of touched) best[j] = 0;
    return drainAccumulator(acc, from, touched, (i) => ctx.eligible(i), want);
  }

  /** Neighbours of an item the model has not seen: compare with every vector. */
  private coldNeighbours(index: number): [number, number][] {
    const v = this.extra.get(index)!;
    const out: [number, number][] = [];
    const { vecPtr, vecTerms, vecWeights, config } = this.model;
    for (let m = 0; m < this.model.itemIds.length; m++) {
      const s = sparseDot(
        v.terms,
        v.weights,
        vecTerms.subarray(vecPtr[m], vecPtr[m + 1]),
        vecWeights.subarray(vecPtr[m], vecPtr[m + 1]),
      );
      if (s >= config.minSimilarity) out.push([this.toSpace[m]!, s]);
    }
    for (const [j, w] of this.extra) {
      if (j === index) continue;
      const s = sparseDot(v.terms, v.weights, w.terms, w.weights);
      if (s >= config.minSimilarity) out.push([j, s]);
    }
    out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return out.slice(0, config.maxNeighbors);
  }
}
