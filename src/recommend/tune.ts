import { mulberry32 } from '../shared/index.js';
import { trainAls } from './als.js';
import { selectItems, trainEase, weighTable } from './ease.js';
import { evaluate } from './evaluate.js';
import { buildFeedbackTable, type FeedbackTable } from './feedback.js';
import { trainHistory } from './history.js';
import type { Model } from './model.js';
import { HistoryConfig, PopularConfig, type PersonalizedConfig } from './model-config.js';
import { heldOutTruth, recommendAll } from './offline-eval.js';
import { trainPopularity } from './popularity.js';
import { Recommender } from './recommender.js';
import { CatalogItem, DAY_MS, type Interaction } from './schemas.js';
import type { TunedParams, TuningCandidate, TuningReport } from './tuning-report.js';

export interface TuneOptions {
  /** Share of interactions, the latest, held out as the validation tail (default 0.15). */
  tailShare?: number;
  /** Fewer people with new items in the tail than this keeps the defaults (default 50). */
  minPeople?: number;
  /** People scored per candidate at most, a seeded sample (default 2000). */
  maxPeople?: number;
  /**
   * EASE candidates are trained on at most this many items, the best supported (default
   * 1500): the inverse costs n³, so this keeps a dozen candidates within about the cost
   * of one full training; the winner is then retrained on every item.
   */
  maxItems?: number;
  /** ALS candidates run at most this many epochs (default 4). */
  maxAlsIterations?: number;
  seed?: number;
}

// The grid, searched one coordinate at a time from the defaults (each stage keeps the
// best so far): half-life, then the regularization around it, then minimum support,
// then how views and carts weigh against purchases (only when the data have them).
const HALF_LIVES: readonly (number | null)[] = [3, 10, 30, 90, 365, null];
const REGULARIZATION_FACTORS = [1 / 3, 3];
const MIN_SUPPORTS = [1, 3, 6];
const WEIGHTS = [
  { view: 0.1, cart: 0.3, purchase: 1 },
  { view: 0.5, cart: 0.75, purchase: 1 },
];
/** A candidate must beat the incumbent by this share to replace it (noise, not signal). */
const MARGIN = 0.01;
const K = 20;

/** The tuned parameters of a personalized config. */
export function paramsOf(config: PersonalizedConfig, algorithm: 'ease' | 'als'): TunedParams {
  return {
    algorithm,
    halfLifeDays: config.halfLifeDays,
    lambda: config.lambda,
    regularization: config.als.regularization,
    minSupport: config.minSupport,
    weights: { ...config.weights },
  };
}

/** The config with tuned parameters in place (the algorithm stays the config's own). */
export function withParams(config: PersonalizedConfig, p: TunedParams): PersonalizedConfig {
  return {
    ...config,
    halfLifeDays: p.halfLifeDays,
    lambda: p.lambda,
    minSupport: p.minSupport,
    weights: { ...p.weights },
    als: { ...config.als, regularization: p.regularization },
  };
}

/** Which algorithm `auto` resolves to on these data (as `trainPersonalized` decides). */
export function resolveAlgorithm(config: PersonalizedConfig, table: FeedbackTable, now: number) {
  if (config.algorithm !== 'auto') return config.algorithm;
  const n = selectItems(weighTable(table, config, now), config.minSupport, Number.MAX_SAFE_INTEGER)
    .itemIds.length;
  return n <= config.maxEaseItems ? 'ease' : 'als';
}

/** The latest `share` of interactions by time: the cut and the two sides. */
export function tailSplit(interactions: readonly Interaction[], share: number) {
  const times = Float64Array.from(interactions, (x) => x.timestamp).sort();
  const n = times.length;
  const cut = n === 0 ? null : times[Math.min(n - 1, Math.floor((1 - share) * n))]!;
  const before: Interaction[] = [];
  const tail: Interaction[] = [];
  if (cut !== null) for (const x of interactions) (x.timestamp < cut ? before : tail).push(x);
  const tailDays = cut === null ? 0 : (times[n - 1]! - cut) / DAY_MS;
  return { cut, before, tail, tailDays };
}

/** Scores of one setting on the validation tail. */
export interface Score {
  ndcg: number;
  recall: number;
}

/**
 * The validation side of tuning: a time-based tail split of `interactions`, and a
 * function scoring any setting on it (train before the cut, recommend to the people who
 * came back in the tail, NDCG@10 and Recall@20 as `rapport eval recs` reports them).
 * `score` is null when the tail holds too few people to compare settings.
 */
export function validationSplit(
  config: PersonalizedConfig,
  interactions: readonly Interaction[],
  catalog: readonly CatalogItem[],
  algorithm: 'ease' | 'als',
  options: TuneOptions = {},
) {
  const share = options.tailShare ?? 0.15;
  const split = tailSplit(interactions, share);
  const truthAll = heldOutTruth(split.before, split.tail);
  const minPeople = options.minPeople ?? 50;
  const summary = {
    cut: split.cut,
    tailDays: split.tailDays,
    trainInteractions: split.before.length,
    tailInteractions: split.tail.length,
    people: truthAll.size,
  };
  if (truthAll.size < minPeople) {
    const reason =
      `too little data to validate on: ${truthAll.size} people bought or viewed something new ` +
      `in the latest ${Math.round(share * 100)}% of interactions, ${minPeople} are needed`;
    return { summary, reason, score: null };
  }
  const truth = samplePeople(truthAll, options.maxPeople ?? 2000, options.seed ?? 1);
  let now = -Infinity;
  for (const x of split.before) if (x.timestamp > now) now = x.timestamp;
  const table = buildFeedbackTable(split.before);
  const fixed: Model[] = [
    trainHistory(HistoryConfig.parse({ strategy: 'history' }), split.before, now, table),
    trainPopularity(PopularConfig.parse({ strategy: 'popular' }), split.before, now),
  ];
  // Only catalog items are ever recommended; a workspace without a catalog yet still has
  // its interactions' items to compare settings on.
  const items = catalog.length > 0 ? catalog : table.itemIds.map((id) => CatalogItem.parse({ id }));
  const score = (p: TunedParams): Score => {
    const model = trainCandidate(withParams(config, p), algorithm, table, now, options);
    const recommender = new Recommender({ catalog: items, models: [...fixed, model] });
    const recs = recommendAll(recommender, truth.keys(), 'personalized', K, now);
    const e = evaluate(recs, truth, { k: K, ndcgK: 10, bootstrap: 0, catalog: [] });
    return { ndcg: e.ndcg.value, recall: e.recall.value };
  };
  return { summary, reason: null, score, table, now };
}

/**
 * Chooses the personalized model's half-life, regularization, minimum support and
 * feedback weights on a time-based validation tail of the data themselves (see
 * `validationSplit`), one coordinate at a time from the defaults. Pure and
 * deterministic. When the tail holds fewer than `minPeople` people with new items, the
 * defaults are kept and the report says why.
 * @example
 * const report = tunePersonalized(PersonalizedConfig.parse({ strategy: 'personalized' }), interactions, catalog, 'ease');
 * report.chosen.halfLifeDays; // e.g. 10
 */
export function tunePersonalized(
  config: PersonalizedConfig,
  interactions: readonly Interaction[],
  catalog: readonly CatalogItem[],
  algorithm: 'ease' | 'als',
  options: TuneOptions = {},
): TuningReport {
  const started = performance.now();
  const defaults = paramsOf(config, algorithm);
  const v = validationSplit(config, interactions, catalog, algorithm, options);
  const base = { metric: 'ndcg@10' as const, split: v.summary, defaults };
  if (!v.score) {
    return {
      ...base,
      status: 'skipped',
      reason: v.reason,
      chosen: defaults,
      defaultScore: null,
      chosenScore: null,
      candidates: [],
      seconds: (performance.now() - started) / 1000,
    };
  }
  const { score, table, now } = v;
  const candidates: TuningCandidate[] = [];
  const tried = new Map<string, TuningCandidate>();
  const tryParams = (p: TunedParams): TuningCandidate => {
    const key = JSON.stringify(p);
    const seen = tried.get(key);
    if (seen) return seen;
    const t0 = performance.now();
    const c = { params: p, ...score(p), seconds: (performance.now() - t0) / 1000 };
    tried.set(key, c);
    candidates.push(c);
    return c;
  };
  const better = (a: TuningCandidate, b: TuningCandidate) =>
    a.ndcg > b.ndcg * (1 + MARGIN) || (a.ndcg === b.ndcg && a.recall > b.recall);

  const first = tryParams(defaults);
  let best = first;
  const stage = (variants: TunedParams[]) => {
    let winner = best;
    for (const p of variants) {
      const c = tryParams(p);
      if (better(c, winner)) winner = c;
    }
    best = winner;
  };
  stage(HALF_LIVES.map((h) => ({ ...best.params, halfLifeDays: h })));
  stage(
    REGULARIZATION_FACTORS.map((f) =>
      algorithm === 'ease'
        ? { ...best.params, lambda: round(best.params.lambda * f) }
        : { ...best.params, regularization: round(best.params.regularization * f) },
    ),
  );
  stage(
    distinctItemSets(
      MIN_SUPPORTS.map((m) => ({ ...best.params, minSupport: m })),
      best.params,
      table,
      now,
      algorithm === 'ease' ? Math.min(config.maxEaseItems, options.maxItems ?? 1500) : Infinity,
    ),
  );
  if (hasKinds(table)) stage(WEIGHTS.map((w) => ({ ...best.params, weights: w })));
  return {
    ...base,
    status: 'tuned',
    reason:
      best === first
        ? 'the defaults scored best on the validation tail'
        : `beat the defaults on the validation tail (NDCG@10 ${best.ndcg.toFixed(4)} against ${first.ndcg.toFixed(4)})`,
    chosen: best.params,
    defaultScore: { ndcg: first.ndcg, recall: first.recall },
    chosenScore: { ndcg: best.ndcg, recall: best.recall },
    candidates,
    seconds: (performance.now() - started) / 1000,
  };
}

function trainCandidate(
  config: PersonalizedConfig,
  algorithm: 'ease' | 'als',
  table: FeedbackTable,
  now: number,
  options: TuneOptions,
): Model {
  const weighted = weighTable(table, config, now);
  if (algorithm === 'ease') {
    const maxEaseItems = Math.min(config.maxEaseItems, options.maxItems ?? 1500);
    return trainEase({ ...config, maxEaseItems }, weighted, now, now);
  }
  const iterations = Math.min(config.als.iterations, options.maxAlsIterations ?? 4);
  return trainAls({ ...config, als: { ...config.als, iterations } }, weighted, now, now);
}

/**
 * Minimum supports that select a different item set from the incumbent's: under the
 * candidates' item cap several values often pick the same best-supported items, and
 * training those again would only repeat a score.
 */
function distinctItemSets(
  variants: TunedParams[],
  incumbent: TunedParams,
  table: FeedbackTable,
  now: number,
  cap: number,
): TunedParams[] {
  const signature = (p: TunedParams) => {
    const w = weighTable(table, { weights: p.weights, halfLifeDays: p.halfLifeDays }, now);
    return selectItems(w, p.minSupport, cap).itemIds.join('\u0000');
  };
  const seen = new Set([signature(incumbent)]);
  return variants.filter((p) => {
    const s = signature(p);
    if (seen.has(s)) return false;
    seen.add(s);
    return true;
  });
}

/** Whether views or carts are present beside purchases (else weights cannot matter). */
function hasKinds(table: FeedbackTable): boolean {
  for (let r = 0; r < table.item.length; r++) {
    if (table.lastView[r] !== -Infinity || table.lastCart[r] !== -Infinity) return true;
  }
  return false;
}

function samplePeople(
  truth: Map<string, Set<string>>,
  max: number,
  seed: number,
): Map<string, Set<string>> {
  if (truth.size <= max) return truth;
  const users = [...truth.keys()];
  const random = mulberry32(seed);
  for (let i = users.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [users[i], users[j]] = [users[j]!, users[i]!];
  }
  return new Map(users.slice(0, max).map((u) => [u, truth.get(u)!]));
}

const round = (x: number) => Number(x.toPrecision(3));
