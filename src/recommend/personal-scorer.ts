import { foldIn, type AlsModel } from './als.js';
import type { CatalogIndex } from './catalog-index.js';
import type { EaseModel } from './ease.js';
import { strengthOf } from './feedback.js';
import type { PersonalizedConfig } from './model-config.js';
import { DAY_MS } from './schemas.js';
import { drainAccumulator, type Candidate, type Scorer, type ScoringContext } from './scoring.js';
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
  return out;
}

function mapFromSpace(itemIds: readonly string[], space: CatalogIndex): Int32Array {
  const fromSpace = new Int32Array(space.size).fill(-1);
  itemIds.forEach((id, m) => {
    const idx = space.indexOf(id);
    if (idx !== undefined) fromSpace[idx] = m;
  });
  return fromSpace;
}

/** EASE scoring: Σ_i x_i B_i·, over the person's items only. O(history × topK). */
export class EaseScorer implements Scorer {
  readonly strategy = 'personalized' as const;
  readonly name: string;
  private readonly config: PersonalizedConfig;
  private readonly fromSpace: Int32Array;
  private readonly rowPtr: Int32Array;
  private readonly cols: Int32Array;
  private readonly weights: Float32Array;
  private readonly acc: Float64Array;
  private readonly best: Float64Array;
  private readonly from: Int32Array;

  constructor(model: EaseModel, space: CatalogIndex) {
    this.name = model.name;
    this.config = model.config;
    this.fromSpace = mapFromSpace(model.itemIds, space);
    const toSpace = Int32Array.from(model.itemIds, (id) => space.indexOf(id) ?? -1);
    this.rowPtr = model.rowPtr;
    this.cols = Int32Array.from(model.cols, (m) => toSpace[m]!);
    this.weights = model.weights;
    this.acc = new Float64Array(space.size);
    this.best = new Float64Array(space.size).fill(-Infinity);
    this.from = new Int32Array(space.size).fill(-1);
  }

  candidates(ctx: ScoringContext, want: number): Candidate[] {
    const hist = weightedHistory(ctx, this.fromSpace, this.config);
    if (hist.length === 0 || hist.length < this.config.minHistory) return [];
    const { acc, best, from, cols, weights } = this;
    const touched: number[] = [];
    for (const { index, row, x } of hist) {
      for (let p = this.rowPtr[row]!; p < this.rowPtr[row + 1]!; p++) {
        const j = cols[p]!;
        const v = x * weights[p]!;
        if (from[j] === -1) touched.push(j);
        acc[j]! += v;
        // The explanation names the history item that contributes most.
        if (v > best[j]!) {
          best[j] = v;
          from[j] = index;
        }
      }
    }
    for (const j of touched) best[j] = -Infinity;
    return drainAccumulator(acc, from, touched, (i) => ctx.eligible(i), want);
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
    this.toSpace = Int32Array.from(model.itemIds, (id) => space.indexOf(id) ?? -1);
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
