import type { CatalogIndex } from './catalog-index.js';
import type { FeedbackEntry } from './feedback.js';
import type { PopularityConfig } from './model-config.js';
import { decayFrom, halfLifeMs, refStrength, type PopularityModel } from './popularity.js';
import type { Candidate, Scorer, ScoringContext } from './scoring.js';
import type { InteractionKind } from './schemas.js';
import { TopK } from './top-k.js';

/** Rebase scores before the decay factor 2^(Δt/h) could overflow a double. */
const MAX_EXPONENT = 256;

/** Popular and trending at serving time, updated in O(1) per interaction. */
export class PopularityScorer implements Scorer {
  readonly name: string;
  readonly strategy: 'popular' | 'trending';
  readonly config: PopularityConfig;
  private readonly scores: Float64Array;
  private ref: number;
  private readonly h: number | null;
  private readonly users: ReadonlySet<string> | null;
  /** Scored items in score order as of the last sort, and the items changed since. */
  private order = new Int32Array(0);
  private changed: number[] = [];
  private readonly isChanged: Uint8Array;

  constructor(model: PopularityModel, space: CatalogIndex) {
    this.name = model.name;
    this.strategy = model.strategy;
    this.config = model.config;
    this.h = halfLifeMs(model.config.halfLifeDays);
    this.ref = model.refTime;
    this.users = model.config.userIds ? new Set(model.config.userIds) : null;
    this.scores = new Float64Array(space.size);
    model.itemIds.forEach((id, i) => {
      const idx = space.indexOf(id);
      if (idx !== undefined) this.scores[idx] = model.scores[i]!;
    });
    this.isChanged = new Uint8Array(space.size);
    this.sort();
  }

  /**
   * The best eligible items, scores reported decayed to `ctx.now`. Walks the items in
   * score order and stops at the first one that cannot enter, so a request costs
   * O(want + ineligible skipped + items changed since the last sort) instead of O(n).
   * Decay scales every score alike and keeps the order; only `observe` disturbs it, and
   * the items it touched are checked one by one until the next sort.
   */
  candidates(ctx: ScoringContext, want: number): Candidate[] {
    if (this.changed.length > Math.max(256, this.scores.length >> 4)) this.sort();
    const top = new TopK(want);
    const s = this.scores;
    for (const i of this.changed) {
      const v = s[i]!;
      if (v > 0 && v >= top.threshold() && ctx.eligible(i)) top.push(i, v);
    }
    const order = this.order;
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      if (this.isChanged[i]) continue;
      const v = s[i]!;
      // Later items score no higher; ties still go through TopK's index rule.
      if (v < top.threshold()) break;
      if (v > 0 && ctx.eligible(i)) top.push(i, v);
    }
    const f = this.h === null ? 1 : Math.pow(2, -(ctx.now - this.ref) / this.h);
    return top.sorted().map(({ index, score }) => ({ index, score: score * f, because: -1 }));
  }

  /** The current score of an item (decayed to `now`), for tests and explanations. */
  scoreAt(index: number, now: number): number {
    const v = this.scores[index] ?? 0;
    return this.h === null ? v : v * Math.pow(2, -(now - this.ref) / this.h);
  }

  observe(
    userId: string,
    index: number,
    kind: InteractionKind,
    t: number,
    before: FeedbackEntry | null,
    after: FeedbackEntry,
  ): void {
    if (this.users && !this.users.has(userId)) return;
    this.rebase(t);
    if (!this.isChanged[index]) {
      this.isChanged[index] = 1;
      this.changed.push(index);
    }
    if (this.config.count === 'interactions') {
      this.scores[index]! += decayFrom(this.config.weights[kind], t, this.ref, this.h);
      return;
    }
    const w = this.config.weights;
    const old = before ? refStrength(before, w, this.h, this.ref) : 0;
    this.scores[index]! += refStrength(after, w, this.h, this.ref) - old;
  }

  /** Items with a positive score, best first (ties: lower index), O(n log n). */
  private sort(): void {
    const s = this.scores;
    const items: number[] = [];
    for (let i = 0; i < s.length; i++) if (s[i]! > 0) items.push(i);
    items.sort((a, b) => s[b]! - s[a]! || a - b);
    this.order = Int32Array.from(items);
    for (const i of this.changed) this.isChanged[i] = 0;
    this.changed = [];
  }

  private rebase(t: number): void {
    if (this.h === null || (t - this.ref) / this.h < MAX_EXPONENT) return;
    const f = Math.pow(2, -(t - this.ref) / this.h);
    for (let i = 0; i < this.scores.length; i++) this.scores[i]! *= f;
    this.ref = t;
  }
}
