import type { SimilarConfig } from './model-config.js';
import type { CatalogItem } from './schemas.js';

/**
 * Content similarity for cold-start items: TF-IDF vectors over the words of the title,
 * whole categories, brand, tags and string/boolean attributes (each field weighted),
 * L2-normalised, with each item's nearest neighbours by cosine precomputed.
 */
export interface ContentModel {
  kind: 'content';
  name: string;
  strategy: 'similar';
  config: SimilarConfig;
  trainedAt: number;
  trainedThrough: number | null;
  itemIds: string[];
  vocabulary: string[];
  idf: Float64Array;
  /** Sparse item vectors, terms ascending: item i is vecPtr[i] .. vecPtr[i + 1]. */
  vecPtr: Int32Array;
  vecTerms: Int32Array;
  vecWeights: Float32Array;
  /** Neighbours, best first: item i is rowPtr[i] .. rowPtr[i + 1]. */
  rowPtr: Int32Array;
  cols: Int32Array;
  sims: Float32Array;
}

const STOP = new Set(['the', 'and', 'for', 'with', 'of', 'in', 'on', 'to', 'a', 'an', 'set', 'by']);

/** Words of free text: lower case, letters and digits, two characters or more. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && !STOP.has(w));
}

/** The weighted terms of one item, as term → weighted frequency. */
export function itemTerms(
  item: CatalogItem,
  weights: SimilarConfig['fieldWeights'],
): Map<string, number> {
  const terms = new Map<string, number>();
  const add = (term: string, w: number) => {
    if (w > 0) terms.set(term, (terms.get(term) ?? 0) + w);
  };
  for (const w of words(item.title ?? '')) add(`w:${w}`, weights.title);
  for (const c of item.categories) add(`c:${c.toLowerCase()}`, weights.categories);
  if (item.brand) add(`b:${item.brand.toLowerCase()}`, weights.brand);
  for (const t of item.tags) add(`t:${t.toLowerCase()}`, weights.tags);
  for (const [k, v] of Object.entries(item.attributes)) {
    if (typeof v !== 'number')
      add(`a:${k.toLowerCase()}=${String(v).toLowerCase()}`, weights.attributes);
  }
  return terms;
}

/** A sparse vector with terms ascending. */
export interface SparseVector {
  terms: Int32Array;
  weights: Float32Array;
}

/** TF-IDF weights, L2-normalised; terms missing from `index` are dropped. */
export function vectorize(
  terms: ReadonlyMap<string, number>,
  index: ReadonlyMap<string, number>,
  idf: Float64Array,
): SparseVector {
  const pairs: [number, number][] = [];
  let norm = 0;
  for (const [term, tf] of terms) {
    const t = index.get(term);
    if (t === undefined) continue;
    const w = tf * idf[t]!;
    pairs.push([t, w]);
    norm += w * w;
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return {
    terms: Int32Array.from(pairs, (p) => p[0]),
    weights: Float32Array.from(pairs, (p) => p[1] * inv),
  };
}

/** Cosine of two normalised sparse vectors by a merge of their sorted terms. */
export function sparseDot(
  at: ArrayLike<number>,
  aw: ArrayLike<number>,
  bt: ArrayLike<number>,
  bw: ArrayLike<number>,
): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < at.length && j < bt.length) {
    const x = at[i]!;
    const y = bt[j]!;
    if (x === y) s += aw[i++]! * bw[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}

/**
 * Builds the vectors (idf = ln((N + 1) / (df + 1)) + 1) and each item's top
 * `maxNeighbors` by cosine through an inverted index: O(Σ_t df_t²). Terms held by more
 * than a third of a large catalog (N > 3000) are skipped in the neighbour search only;
 * their idf makes them nearly weightless anyway and they would make it quadratic.
 */
export function trainContent(
  config: SimilarConfig,
  catalog: readonly CatalogItem[],
  now: number,
): ContentModel {
  const n = catalog.length;
  const itemTermMaps = catalog.map((item) => itemTerms(item, config.fieldWeights));
  const index = new Map<string, number>();
  const vocabulary: string[] = [];
  const df: number[] = [];
  for (const terms of itemTermMaps) {
    for (const term of terms.keys()) {
      let t = index.get(term);
      if (t === undefined) {
        t = vocabulary.length;
        index.set(term, t);
        vocabulary.push(term);
        df.push(0);
      }
      df[t]!++;
    }
  }
  const idf = Float64Array.from(df, (d) => Math.log((n + 1) / (d + 1)) + 1);
  const vectors = itemTermMaps.map((terms) => vectorize(terms, index, idf));
  const vecPtr = new Int32Array(n + 1);
  vectors.forEach((v, i) => (vecPtr[i + 1] = vecPtr[i]! + v.terms.length));
  const vecTerms = new Int32Array(vecPtr[n]!);
  const vecWeights = new Float32Array(vecPtr[n]!);
  vectors.forEach((v, i) => {
    vecTerms.set(v.terms, vecPtr[i]);
    vecWeights.set(v.weights, vecPtr[i]);
  });

  // Postings: term -> (item, weight).
  const maxDf = n > 3000 ? Math.floor(n / 3) : n;
  const postPtr = new Int32Array(vocabulary.length + 1);
  for (const t of vecTerms) postPtr[t + 1]!++;
  for (let t = 0; t < vocabulary.length; t++) postPtr[t + 1]! += postPtr[t]!;
  const postItem = new Int32Array(vecTerms.length);
  const postWeight = new Float32Array(vecTerms.length);
  const fill = postPtr.slice(0, vocabulary.length);
  for (let i = 0; i < n; i++) {
    for (let p = vecPtr[i]!; p < vecPtr[i + 1]!; p++) {
      const at = fill[vecTerms[p]!]!++;
      postItem[at] = i;
      postWeight[at] = vecWeights[p]!;
    }
  }

  const acc = new Float64Array(n);
  const touched: number[] = [];
  const rowPtr = new Int32Array(n + 1);
  const colsOut: number[] = [];
  const simsOut: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let p = vecPtr[i]!; p < vecPtr[i + 1]!; p++) {
      const t = vecTerms[p]!;
      if (df[t]! > maxDf) continue;
      const w = vecWeights[p]!;
      for (let q = postPtr[t]!; q < postPtr[t + 1]!; q++) {
        const j = postItem[q]!;
        if (j === i) continue;
        if (acc[j] === 0) touched.push(j);
        acc[j]! += w * postWeight[q]!;
      }
    }
    const best = touched
      .filter((j) => acc[j]! >= config.minSimilarity)
      .sort((a, b) => acc[b]! - acc[a]! || a - b)
      .slice(0, config.maxNeighbors);
    for (const j of best) {
      colsOut.push(j);
      simsOut.push(acc[j]!);
    }
    for (const j of touched) acc[j] = 0;
    touched.length = 0;
    rowPtr[i + 1] = colsOut.length;
  }
  return {
    kind: 'content',
    name: config.name ?? 'similar',
    strategy: 'similar',
    config,
    trainedAt: now,
    trainedThrough: null,
    itemIds: catalog.map((c) => c.id),
    vocabulary,
    idf,
    vecPtr,
    vecTerms,
    vecWeights,
    rowPtr,
    cols: Int32Array.from(colsOut),
    sims: Float32Array.from(simsOut),
  };
}
