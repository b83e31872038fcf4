import { entryStrength, tableEntry, type FeedbackTable } from './feedback.js';
import type { PersonalizedConfig } from './model-config.js';
import { spdInverseInPlace } from './spd-inverse.js';
import { DAY_MS } from './schemas.js';

/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): an
 * item-item weight matrix B with zero diagonal minimising ‖X − XB‖² + λ‖B‖², whose
 * closed form is P = (XᵀX + λI)⁻¹, B_ij = −P_ij / P_jj. A person with weighted history
 * x scores item j as Σ_i x_i B_ij. Only the `topK` largest weights of each row i are
 * kept, so scoring costs O(history × topK) instead of O(history × n).
 */
export interface EaseModel {
  kind: 'ease';
  name: string;
  strategy: 'personalized';
  config: PersonalizedConfig;
  trainedAt: number;
  trainedThrough: number | null;
  itemIds: string[];
  rowPtr: Int32Array;
  cols: Int32Array;
  weights: Float32Array;
}

/** The personalized training input: strengths per table row and each item's support. */
export interface WeightedTable {
  table: FeedbackTable;
  strength: Float64Array;
  /** Distinct people with a positive strength, per table item. */
  support: Int32Array;
}

/** Computes each row's decayed, weighted strength (see `entryStrength`) at `now`. */
export function weighTable(
  table: FeedbackTable,
  config: Pick<PersonalizedConfig, 'weights' | 'halfLifeDays'>,
  now: number,
): WeightedTable {
  const h = config.halfLifeDays === null ? null : config.halfLifeDays * DAY_MS;
  const strength = new Float64Array(table.item.length);
  const support = new Int32Array(table.itemIds.length);
  for (let r = 0; r < strength.length; r++) {
    const s = entryStrength(tableEntry(table, r), config.weights, h, now);
    strength[r] = s;
    if (s > 0) support[table.item[r]!]!++;
  }
  return { table, strength, support };
}

/**
 * Picks the model's items: support ≥ minSupport, at most `limit` of them (the best
 * supported, ties by first appearance). Returns table item → model index (−1 = left out).
 */
export function selectItems(
  w: WeightedTable,
  minSupport: number,
  limit: number,
): { itemIds: string[]; toModel: Int32Array } {
  const candidates: number[] = [];
  w.support.forEach((s, i) => {
    if (s >= minSupport) candidates.push(i);
  });
  if (candidates.length > limit) {
    candidates.sort((a, b) => w.support[b]! - w.support[a]! || a - b);
    candidates.length = limit;
    candidates.sort((a, b) => a - b);
  }
  const toModel = new Int32Array(w.support.length).fill(-1);
  const itemIds = candidates.map((i, m) => {
    toModel[i] = m;
    return w.table.itemIds[i]!;
  });
  return { itemIds, toModel };
}

/**
 * Builds the lower triangle of G = XᵀX over the selected items, O(Σ_u m_u²) where m_u
 * is a person's number of selected items.
 */
export function gramLower(w: WeightedTable, toModel: Int32Array, n: number): Float64Array {
  const g = new Float64Array(n * n);
  const { table, strength } = w;
  const idx: number[] = [];
  const val: number[] = [];
  for (let u = 0; u < table.userIds.length; u++) {
    idx.length = 0;
    val.length = 0;
    for (let r = table.userPtr[u]!; r < table.userPtr[u + 1]!; r++) {
      const m = toModel[table.item[r]!]!;
      const s = strength[r]!;
      if (m < 0 || s <= 0) continue;
      idx.push(m);
      val.push(s);
    }
    // Table rows are in item order and toModel is monotone, so idx is ascending.
    for (let a = 0; a < idx.length; a++) {
      const row = idx[a]! * n;
      const va = val[a]!;
      for (let b = 0; b <= a; b++) g[row + idx[b]!]! += va * val[b]!;
    }
  }
  return g;
}

/**
 * Trains EASE on an already weighted table. Cost: O(Σ m_u²) for the Gram matrix plus
 * n³/2 multiply-adds for the inverse (about 6 s for n = 3000 here) and n² log topK to
 * keep the strongest weights. Memory peaks at two n×n Float64Arrays.
 */
export function trainEase(
  config: PersonalizedConfig,
  w: WeightedTable,
  now: number,
  trainedThrough: number | null,
): EaseModel {
  const { itemIds, toModel } = selectItems(w, config.minSupport, config.maxEaseItems);
  const n = itemIds.length;
  const g = gramLower(w, toModel, n);
  for (let i = 0; i < n; i++) g[i * n + i]! += config.lambda;
  const p = spdInverseInPlace(g, n);

  const keep = Math.min(config.topK ?? n, Math.max(0, n - 1));
  const rowPtr = new Int32Array(n + 1);
  const cols = new Int32Array(n * keep);
  const weights = new Float32Array(n * keep);
  const invDiag = new Float64Array(n);
  for (let j = 0; j < n; j++) invDiag[j] = 1 / p[j * n + j]!;
  let o = 0;
  const row64 = new Float64Array(n);
  const scratch = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    if (keep >= n - 1) {
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        cols[o] = j;
        weights[o++] = -p[row + j]! * invDiag[j]!;
      }
    } else {
      // The keep-th largest weight by quickselect (O(n) per row), then every weight
      // above it plus enough equal ones, in column order.
      for (let j = 0; j < n; j++) row64[j] = j === i ? -Infinity : -p[row + j]! * invDiag[j]!;
      scratch.set(row64);
      const cut = kthLargest(scratch, keep);
      let above = 0;
      for (let j = 0; j < n; j++) if (row64[j]! > cut) above++;
      let ties = keep - above;
      for (let j = 0; j < n; j++) {
        const v = row64[j]!;
        if (v > cut || (v === cut && ties-- > 0)) {
          cols[o] = j;
          weights[o++] = v;
        }
      }
    }
    rowPtr[i + 1] = o;
  }
  return {
    kind: 'ease',
    name: config.name ?? 'personalized',
    strategy: 'personalized',
    config,
    trainedAt: now,
    trainedThrough,
    itemIds,
    rowPtr,
    cols: cols.subarray(0, o).slice(),
    weights: weights.subarray(0, o).slice(),
  };
}

/** The k-th largest value of `a` (1-based), reordering `a`. Hoare-style quickselect. */
export function kthLargest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target]!;
  }
  return a[target]!;
}
