import { remap, type CatalogIndex } from './catalog-index.js';
import { pairSimilarity, type CoOccurrenceModel } from './co-occurrence.js';
import type { CoOccurrenceConfig } from './model-config.js';
import { drainAccumulator, type Candidate, type Scorer, type ScoringContext } from './scoring.js';
import type { InteractionKind } from './schemas.js';

interface Session {
  startAt: number;
  lastAt: number;
  items: number[];
}

/**
 * "Bought together" / "viewed together" at serving time. The trained counts stay in
 * their compact arrays; interactions observed since go into small per-row maps that are
 * merged in when a row is read.
 */
export class CoOccurrenceScorer implements Scorer {
  readonly name: string;
  readonly strategy: 'bought_together' | 'viewed_together';
  readonly config: CoOccurrenceConfig;
  private baskets: number;
  private readonly itemCounts: Float64Array;
  private readonly fromSpace: Int32Array;
  private readonly rowPtr: Int32Array;
  private readonly cols: Int32Array;
  private readonly counts: Float32Array;
  private readonly delta = new Map<number, Map<number, number>>();
  private readonly sessions = new Map<string, Session>();
  private readonly kinds: ReadonlySet<InteractionKind>;
  private readonly gap: number;
  private readonly pairAcc: Float64Array;
  private readonly acc: Float64Array;
  private readonly from: Int32Array;
  private readonly bestS: Float64Array;

  constructor(model: CoOccurrenceModel, space: CatalogIndex) {
    this.name = model.name;
    this.strategy = model.strategy;
    this.config = model.config;
    this.kinds = new Set(model.config.kinds);
    this.gap = model.config.sessionGapMinutes * 60_000;
    this.baskets = model.baskets;
    const n = space.size;
    const toSpace = space.indicesOf(model.itemIds);
    this.fromSpace = new Int32Array(n).fill(-1);
    this.itemCounts = new Float64Array(n);
    toSpace.forEach((idx, m) => {
      if (idx < 0) return;
      this.fromSpace[idx] = m;
      this.itemCounts[idx] = model.itemCounts[m]!;
    });
    this.rowPtr = model.rowPtr;
    this.counts = model.counts;
    this.cols = remap(model.cols, toSpace);
    for (const s of model.openSessions) {
      this.sessions.set(s.userId, {
        startAt: s.startAt,
        lastAt: s.lastAt,
        items: s.items.map((m) => toSpace[m]!).filter((i) => i >= 0),
      });
    }
    this.pairAcc = new Float64Array(n);
    this.acc = new Float64Array(n);
    this.from = new Int32Array(n).fill(-1);
    this.bestS = new Float64Array(n);
  }

  /** Co-occurrence count of a pair, trained plus observed. */
  pairCount(a: number, b: number): number {
    let c = this.delta.get(a)?.get(b) ?? 0;
    const r = this.fromSpace[a]!;
    if (r >= 0) {
      for (let p = this.rowPtr[r]!; p < this.rowPtr[r + 1]!; p++) {
        if (this.cols[p] === b) c += this.counts[p]!;
      }
    }
    return c;
  }

  /** Adds row `a`'s pair counts (trained + observed) into pairAcc. O(row length). */
  private visitRow(a: number, touchedPairs: number[]): void {
    const r = this.fromSpace[a]!;
    if (r >= 0) {
      for (let p = this.rowPtr[r]!; p < this.rowPtr[r + 1]!; p++) {
        const b = this.cols[p]!;
        if (b < 0) continue;
        if (this.pairAcc[b] === 0) touchedPairs.push(b);
        this.pairAcc[b]! += this.counts[p]!;
      }
    }
    const d = this.delta.get(a);
    if (d) {
      for (const [b, c] of d) {
        if (this.pairAcc[b] === 0) touchedPairs.push(b);
        this.pairAcc[b]! += c;
      }
    }
  }

  candidates(ctx: ScoringContext, want: number): Candidate[] {
    const { acc, from, bestS, pairAcc } = this;
    const touched: number[] = [];
    const pairs: number[] = [];
    for (const seed of ctx.seeds) {
      const a = seed.index;
      const ca = this.itemCounts[a] ?? 0;
      if (ca <= 0) continue;
      this.visitRow(a, pairs);
      for (const b of pairs) {
        const c = pairAcc[b]!;
        pairAcc[b] = 0;
        if (b === a) continue;
        const s =
          seed.weight * pairSimilarity(this.config, c, ca, this.itemCounts[b]!, this.baskets);
        if (!(s > 0)) continue;
        if (acc[b] === 0) touched.push(b);
        acc[b]! += s;
        // The explanation names the seed that contributes most.
        if (s > bestS[b]!) {
          bestS[b] = s;
          from[b] = a;
        }
      }
      pairs.length = 0;
    }
    for (const b of touched) bestS[b] = 0;
    return drainAccumulator(acc, from, touched, (i) => ctx.eligible(i), want);
  }

  /**
   * Continues the person's open basket: a new item pairs with every item already in it;
   * a gap longer than the session gap opens a new basket. Interactions older than the
   * open basket by more than one gap are ignored until the next training.
   */
  observe(userId: string, index: number, kind: InteractionKind, t: number): void {
    if (!this.kinds.has(kind)) return;
    const s = this.sessions.get(userId);
    const user = this.config.scope === 'user';
    if (s && (user || (t <= s.lastAt + this.gap && t >= s.startAt - this.gap))) {
      s.lastAt = Math.max(s.lastAt, t);
      s.startAt = Math.min(s.startAt, t);
      if (s.items.includes(index)) return;
      for (const b of s.items) {
        this.bump(index, b);
        this.bump(b, index);
      }
      s.items.push(index);
      this.itemCounts[index]! += 1;
      return;
    }
    if (s && t < s.startAt - this.gap) return;
    this.sessions.set(userId, { startAt: t, lastAt: t, items: [index] });
    this.baskets += 1;
    this.itemCounts[index]! += 1;
  }

  private bump(a: number, b: number): void {
    let row = this.delta.get(a);
    if (!row) this.delta.set(a, (row = new Map<number, number>()));
    row.set(b, (row.get(b) ?? 0) + 1);
  }
}
