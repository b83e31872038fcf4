import { foldIn, type AlsModel } from './als.js';
import { remap, type CatalogIndex } from './catalog-index.js';
import { kthLargest, type EaseModel } from './ease.js';
import { strengthOf } from './feedback.js';
import type { PersonalizedConfig } from './model-config.js';
import { DAY_MS } from './schemas.js';
import type { Candidate, Scorer, ScoringContext } from './scoring.js';
import { TopK } from './top-k.js';

interface Weighted {
  /** Index in the recommender's space. */
  index: number;
  /** Row in the model. */
  row: number;
  x: number;
}

/** The person's history as model rows with their decayed, weighted strengths. */
function weightedHistory(
  ctx: ScoringContext,
  fromSpace: Int32Array,
  config: PersonalizedConfig,
): Weighted[] {
  const out: Weighted[] = [];
  if (!ctx.history) return out;
  const h = config.halfLifeDays === null ? null : config.halfLifeDays * DAY_MS;
  const hist = ctx.history;
  for (let k = 0; k < hist.size; k++) {
    const index = hist.items[k]!;
    const row = fromSpace[index] ?? -1;
    if (row < 0) continue;
    const x = strengthOf(
      hist.lastView[k]!,
      hist.lastCart[k]!,
      hist.lastPurchase[k]!,
      config.weights,
      h,
      ctx.now,
    );
    if (x > 0) out.push({ index, row, x });
  }
  return strongest(out, config.maxHistory);
}

/**
 * The `max` strongest entries (all when fewer), O(m): scoring cost stays bounded for a
 * wholesaler or a bot with thousands of items, whose weakest signals barely move the
 * ranking anyway.
 */
function strongest(hist: Weighted[], max: number): Weighted[] {
  if (hist.length <= max) return hist;
  const cut = kthLargest(
    Float64Array.from(hist, (w) => w.x),
    max,
  );
  let ties = max - hist.filter((w) => w.x > cut).length;
  return hist.filter((w) => w.x > cut || (w.x === cut && ties-- > 0));
}

function mapFromSpace(itemIds: readonly string[], space: CatalogIndex): Int32Array {
  const fromSpace = new Int32Array(space.size).fill(-1);
  itemIds.forEach((id, m) => {
    const idx = space.indexOf(id);
    if (idx !== undefined) fromSpace[idx] = m;
  });
  return fromSpace;
}

/**
 * EASE scoring: Σ_i x_i B_i·, over the person's items only, O(history × topK) into a
 * dense accumulator, then one predictable scan for the best eligible items. Tracking
 * the best contributor per item during accumulation costs two unpredictable branches per
 * weight, so the explanation is found afterwards for the chosen items only (binary
 * search in each history item's sorted row).
 */
export class EaseScorer implements Scorer {
  readonly strategy = 'personalized' as const;
  readonly name: string;
  private readonly config: PersonalizedConfig;
  private readonly fromSpace: Int32Array;
  private readonly rowPtr: Int32Array;
  /** Columns in the recommender's space (for scoring) and the model's (sorted, for lookup). */
  private readonly cols: Int32Array;
  private readonly modelCols: Int32Array;
  private readonly weights: Float32Array;
  private readonly acc: Float64Array;

  constructor(model: EaseModel, space: CatalogIndex) {
    this.name = model.name;
    this.config = model.config;
    this.fromSpace = mapFromSpace(model.itemIds, space);
    this.rowPtr = model.rowPtr;
    this.modelCols = model.cols;
    this.cols = remap(model.cols, space.indicesOf(model.itemIds));
    this.weights = model.weights;
    this.acc = new Float64Array(space.size);
  }

  candidates(ctx: ScoringContext, want: number): Candidate[] {
    const hist = weightedHistory(ctx, this.fromSpace, this.config);
    if (hist.length === 0 || hist.length < this.config.minHistory) return [];
    const { acc, cols, weights, rowPtr } = this;
    for (const { row, x } of hist) {
      const end = rowPtr[row + 1]!;
      for (let p = rowPtr[row]!; p < end; p++) acc[cols[p]!]! += x * weights[p]!;
    }
    const top = new TopK(want);
    for (let j = 0; j < acc.length; j++) {
      const s = acc[j]!;
      if (s > 0 && s >= top.threshold() && ctx.eligible(j)) top.push(j, s);
    }
    acc.fill(0);
    return top
      .sorted()
      .map(({ index, score }) => ({ index, score, because: this.because(index, hist) }));
  }

  /** The history item contributing most to item j's score: argmax_i x_i · B_ij. */
  private because(j: number, hist: readonly Weighted[]): number {
    const target = this.fromSpace[j]!;
    let best = -1;
    let bestV = -Infinity;
    for (const { index, row, x } of hist) {
      let lo = this.rowPtr[row]!;
      let hi = this.rowPtr[row + 1]!;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.modelCols[mid]! < target) lo = mid + 1;
        else hi = mid;
      }
      if (lo < this.rowPtr[row + 1]! && this.modelCols[lo] === target) {
        const v = x * this.weights[lo]!;
        if (v > bestV) {
          bestV = v;
          best = index;
        }
      }
    }
    return best;
  }
}

/** ALS scoring: fold the person in, then dot with every item factor. O(m f² + f³ + n f). */
export class AlsScorer implements Scorer {
  readonly strategy = 'personalized' as const;
  readonly name: string;
  private readonly fromSpace: Int32Array;
  private readonly toSpace: Int32Array;

  constructor(
    private readonly model: AlsModel,
    space: CatalogIndex,
  ) {
    this.name = model.name;
    this.fromSpace = mapFromSpace(model.itemIds, space);
    this.toSpace = space.indicesOf(model.itemIds);
  }

  candidates(ctx: ScoringContext, want: number): Candidate[] {
    const config = this.model.config;
    const hist = weightedHistory(ctx, this.fromSpace, config);
    if (hist.length === 0 || hist.length < config.minHistory) return [];
    const f = this.model.factors;
    const y = this.model.itemFactors;
    const u = foldIn(
      this.model,
      hist.map((w) => ({ item: w.row, x: w.x })),
    );
    const top = new TopK(want);
    for (let m = 0; m < this.model.itemIds.length; m++) {
      const o = m * f;
      let s = 0;
      for (let a = 0; a < f; a++) s += u[a]! * y[o + a]!;
      const idx = this.toSpace[m]!;
      if (s > 0 && s >= top.threshold() && idx >= 0 && ctx.eligible(idx)) top.push(idx, s);
    }
    return top.sorted().map(({ index, score }) => ({
      index,
      score,
      because: this.closest(index, hist),
    }));
  }

  /** The history item most like the candidate: argmax x_i · cos(y_i, y_j). */
  private closest(index: number, hist: readonly Weighted[]): number {
    const f = this.model.factors;
    const y = this.model.itemFactors;
    const j = this.fromSpace[index]! * f;
    let nj = 0;
    for (let a = 0; a < f; a++) nj += y[j + a]! * y[j + a]!;
    let best = -1;
    let bestS = -Infinity;
    for (const { index: i, row, x } of hist) {
      const o = row * f;
      let dot = 0;
      let ni = 0;
      for (let a = 0; a < f; a++) {
        dot += y[o + a]! * y[j + a]!;
        ni += y[o + a]! * y[o + a]!;
      }
      const s = (x * dot) / Math.sqrt(ni * nj || 1);
      if (s > bestS) {
        bestS = s;
        best = i;
      }
    }
    return best;
  }
}
