import { ValidationError, zodDetails } from '../shared/index.js';
import { AlsScorer, EaseScorer } from './personal-scorer.js';
import { CatalogScorer, RecentlyViewedScorer } from './basic-scorers.js';
import { CatalogIndex } from './catalog-index.js';
import { CoOccurrenceScorer } from './co-occurrence-scorer.js';
import { ContentScorer } from './content-scorer.js';
import { selectDiverse } from './diversity.js';
import { explain } from './explain.js';
import { HistoryStore, MutableHistory, type PersonHistory } from './history-store.js';
import type { HistoryModel } from './history.js';
import type { Model, ModelBundle } from './model.js';
import { PopularityScorer } from './popularity-scorer.js';
import {
  RecommendRequest,
  type RecommendRequestInput,
  type RecommendResponse,
  type RecommendedItem,
} from './request.js';
import { Rules } from './rules.js';
import type { CatalogItemInput, Interaction } from './schemas.js';
import type { Candidate, Scorer, ScoringContext, Seed } from './scoring.js';
import { TopK } from './top-k.js';
import { checkInteractions, parseCatalog } from './train.js';

export interface RecommenderOptions {
  catalog: readonly CatalogItemInput[];
  /** A trained bundle, or loose models (at most one `history` model). */
  bundle?: ModelBundle;
  models?: readonly Model[];
}

/** How many recent items seed item-to-item strategies when the request names none. */
const RECENT_SEEDS = 5;

interface Pooled extends Candidate {
  scorer: Scorer;
}

/**
 * Answers recommendation requests from memory. Built from trained models and the
 * catalog (a few milliseconds for ~4k items); `recommend` is synchronous and allocation
 * light; `observe` folds a new interaction into the history, popularity and
 * co-occurrence counts at once. Not shared across threads: build one per process.
 * @example
 * const rec = new Recommender({ catalog, bundle: trainModels(undefined, interactions, catalog, now) });
 * rec.recommend({ userId: 'u1', limit: 10 }, Date.now()).items; // [{ itemId, reason, strategy, ... }]
 */
export class Recommender {
  readonly space: CatalogIndex;
  private readonly history: HistoryStore;
  private readonly scorers = new Map<string, Scorer>();
  private readonly popularity: PopularityScorer[] = [];
  private readonly coOccurrence: CoOccurrenceScorer[] = [];
  private readonly content: ContentScorer | undefined;
  private readonly recent = new RecentlyViewedScorer();
  private readonly catalogFill: CatalogScorer;
  private lastObserved: number | null;
  /** Per-request scratch marks (see Rules): excluded items and items already pooled. */
  private readonly blocked: Uint32Array;
  private readonly taken: Uint32Array;
  private epoch = 0;

  constructor(options: RecommenderOptions) {
    const models = [...(options.bundle?.models ?? []), ...(options.models ?? [])];
    const catalog = parseCatalog(options.catalog);
    const ids: string[] = [];
    for (const m of models) ids.push(...m.itemIds);
    this.space = new CatalogIndex(catalog, ids);
    const histories = models.filter((m): m is HistoryModel => m.kind === 'history');
    if (histories.length > 1) {
      throw new ValidationError('a recommender takes at most one history model', []);
    }
    this.history = new HistoryStore(histories[0], this.space);
    let through = options.bundle?.trainedThrough ?? null;
    for (const m of models) {
      if (m.trainedThrough !== null) through = Math.max(through ?? -Infinity, m.trainedThrough);
      const scorer = this.scorerFor(m);
      if (!scorer) continue;
      if (
        this.scorers.has(scorer.name) ||
        scorer.name === 'recently_viewed' ||
        scorer.name === 'auto'
      ) {
        throw new ValidationError(`model name "${scorer.name}" is used twice or reserved`, [
          { path: 'models', problem: `duplicate or reserved name "${scorer.name}"` },
        ]);
      }
      this.scorers.set(scorer.name, scorer);
    }
    this.lastObserved = through;
    const contents = [...this.scorers.values()].filter((s) => s instanceof ContentScorer);
    this.content = (this.scorers.get('similar') as ContentScorer | undefined) ?? contents[0];
    this.catalogFill = new CatalogScorer(this.space);
    this.blocked = new Uint32Array(this.space.size);
    this.taken = new Uint32Array(this.space.size);
  }

  private nextEpoch(): number {
    if (this.epoch === 0xffffffff) {
      this.blocked.fill(0);
      this.taken.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }

  private scorerFor(m: Model): Scorer | undefined {
    switch (m.kind) {
      case 'history':
        return undefined;
      case 'popularity': {
        const s = new PopularityScorer(m, this.space);
        this.popularity.push(s);
        return s;
      }
      case 'co_occurrence': {
        const s = new CoOccurrenceScorer(m, this.space);
        this.coOccurrence.push(s);
        return s;
      }
      case 'ease':
        return new EaseScorer(m, this.space);
      case 'als':
        return new AlsScorer(m, this.space);
      case 'content':
        return new ContentScorer(m, this.space);
    }
  }

  /** The names a request's `strategy` may use. */
  strategies(): string[] {
    return ['auto', 'recently_viewed', ...this.scorers.keys()];
  }

  /** The latest interaction time reflected (training data or observed). */
  get trainedThrough(): number | null {
    return this.lastObserved;
  }

  /**
   * Recommends up to `limit` items (exactly `limit` when the catalog has that many items
   * passing the hard rules and `fill` is on). Strategies are tried in chain order; each
   * returned item names the strategy that served it and why.
   * @throws ValidationError for a malformed request or an unknown strategy name.
   */
  recommend(input: RecommendRequestInput, now: number): RecommendResponse {
    const parsed = RecommendRequest.safeParse(input);
    if (!parsed.success)
      throw new ValidationError('invalid recommendation request', zodDetails(parsed.error));
    const req = parsed.data;
    const history = this.personHistory(req, now);
    const epoch = this.nextEpoch();
    const rules = new Rules(req, this.space, history, now, this.blocked, epoch);
    const chain = this.resolveChain(req, history);
    const taken = this.taken;
    let seeds: Seed[] | undefined;
    const pickSeeds = () => (seeds ??= this.seeds(req, history));
    const ctx: ScoringContext = {
      now,
      history,
      // Only item-to-item strategies need seeds; pick them on first use.
      get seeds() {
        return pickSeeds();
      },
      eligible: (i) => taken[i] !== epoch && rules.eligible(i),
    };
    const diverse = req.maxPerCategory !== undefined || req.mmrLambda !== undefined;
    const want = req.limit * (diverse || rules.hasBoosts ? 4 : 1);
    const steps = [...chain.map((n) => this.scorer(n))];
    if (req.fill) {
      const popular = this.scorers.get('popular');
      if (popular && !steps.includes(popular)) steps.push(popular);
      steps.push(this.catalogFill);
    }
    const pool: Pooled[] = [];
    let picked: number[] = [];
    for (const scorer of steps) {
      const n = scorer === this.catalogFill && diverse ? this.space.size : want;
      let cands = scorer.candidates(ctx, n);
      if (rules.hasBoosts) {
        // Boosts re-rank within this strategy's candidate pool.
        cands = cands
          .map((c) => ({ ...c, score: c.score * rules.boost(c.index) }))
          .sort((a, b) => b.score - a.score || a.index - b.index);
      }
      for (const c of cands) {
        taken[c.index] = epoch;
        pool.push({ ...c, scorer });
      }
      picked = this.select(pool, req);
      if (picked.length >= req.limit && (req.mmrLambda === undefined || pool.length >= want)) break;
    }
    if (picked.length < req.limit) {
      // The category cap is soft: relax it rather than return fewer than asked.
      const chosen = new Set(picked);
      for (let i = 0; i < pool.length && picked.length < req.limit; i++) {
        if (!chosen.has(i)) picked.push(i);
      }
    }
    const items: RecommendedItem[] = picked.map((p) => {
      const c = pool[p]!;
      const item = this.space.items[c.index];
      return {
        itemId: this.space.ids[c.index]!,
        ...(item?.title !== undefined ? { title: item.title } : {}),
        ...(item?.price !== undefined ? { price: item.price } : {}),
        ...(item?.currency !== undefined ? { currency: item.currency } : {}),
        ...(item?.url !== undefined ? { url: item.url } : {}),
        ...(item?.image !== undefined ? { image: item.image } : {}),
        score: c.score,
        strategy: c.scorer.name,
        reason: explain(c.scorer, c, req, this.space, history, now),
      };
    });
    return { items, chain };
  }

  private select(pool: readonly Pooled[], req: RecommendRequest): number[] {
    return selectDiverse(pool, {
      limit: req.limit,
      maxPerCategory: req.maxPerCategory,
      mmrLambda: req.mmrLambda,
      category: (i) => this.space.primaryCategory(i),
      similarity: (a, b) => this.similarity(a, b),
    });
  }

  /** Content cosine when both items have text, else overlap of their categories. */
  similarity(a: number, b: number): number {
    const c = this.content;
    if (c && c.vector(a) && c.vector(b)) return c.similarity(a, b);
    const ca = this.space.categories[a]!;
    const cb = this.space.categories[b]!;
    if (ca.length === 0 || cb.length === 0) return 0;
    let shared = 0;
    for (const x of ca) if (cb.includes(x)) shared++;
    return shared / (ca.length + cb.length - shared);
  }

  private scorer(name: string): Scorer {
    if (name === 'recently_viewed') return this.recent;
    return this.scorers.get(name)!;
  }

  private resolveChain(req: RecommendRequest, history: PersonHistory | null): string[] {
    const names = typeof req.strategy === 'string' ? [req.strategy] : req.strategy;
    const out: string[] = [];
    for (const name of names) {
      if (name === 'auto') {
        out.push(...this.autoChain(req, history));
      } else if (name === 'recently_viewed' || this.scorers.has(name)) {
        out.push(name);
      } else {
        throw new ValidationError(`unknown strategy "${name}"`, [
          { path: 'strategy', problem: `"${name}" is not one of ${this.strategies().join(', ')}` },
        ]);
      }
    }
    return [...new Set(out)];
  }

  /** Product page: item-to-item; known person: personal; nobody: what's hot. */
  private autoChain(req: RecommendRequest, history: PersonHistory | null): string[] {
    const chain = req.itemId
      ? ['bought_together', 'viewed_together', 'similar', 'popular']
      : history && history.size > 0
        ? ['personalized', 'bought_together', 'popular']
        : ['trending', 'popular'];
    return chain.filter((n) => this.scorers.has(n));
  }

  /** The person's stored history plus what the request carries (anonymous events, cart). */
  private personHistory(req: RecommendRequest, now: number): PersonHistory | null {
    const stored = req.userId ? this.history.get(req.userId) : null;
    if (!req.history?.length && req.cart.length === 0) return stored;
    const merged = stored?.toMutable() ?? new MutableHistory();
    const add = (id: string, kind: 'view' | 'cart' | 'purchase', t: number) => {
      const i = this.space.indexOf(id);
      if (i !== undefined) merged.add(i, kind, t);
    };
    for (const h of req.history ?? []) add(h.itemId, h.kind, h.timestamp ?? now);
    for (const id of req.cart) add(id, 'cart', now);
    return merged.view();
  }

  private seeds(req: RecommendRequest, history: PersonHistory | null): Seed[] {
    const known = (ids: readonly string[]) =>
      ids.flatMap((id) => {
        const index = this.space.indexOf(id);
        return index === undefined ? [] : [{ index, weight: 1 }];
      });
    if (req.itemId) return known([req.itemId]);
    if (req.cart.length > 0) return known(req.cart);
    if (!history) return [];
    const top = new TopK(RECENT_SEEDS);
    for (let k = 0; k < history.size; k++) top.push(history.items[k]!, history.lastAt(k));
    return top.sorted().map(({ index }, rank) => ({ index, weight: 1 / (1 + rank) }));
  }

  /**
   * Folds one interaction into the serving state: the person's history, popularity and
   * co-occurrence counts. O(1) plus the person's open basket. Interactions on items
   * unknown to both the catalog and the models are ignored (returns false).
   * @throws ValidationError for a malformed interaction.
   */
  observe(interaction: Interaction): boolean {
    checkInteractions([interaction]);
    const { userId, itemId, kind, timestamp: t } = interaction;
    const index = this.space.indexOf(itemId);
    if (index === undefined) return false;
    const { before, after } = this.history.observe(
      userId,
      index,
      kind,
      t,
      interaction.quantity ?? 1,
    );
    for (const p of this.popularity) p.observe(userId, index, kind, t, before, after);
    for (const c of this.coOccurrence) c.observe(userId, index, kind, t);
    this.lastObserved = Math.max(this.lastObserved ?? -Infinity, t);
    return true;
  }
}
