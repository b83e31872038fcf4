import { mulberry32 } from '../shared/index.js';

/** A point estimate with its 95% bootstrap percentile interval. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
}

export interface EvaluateOptions {
  /** Recall cut-off and list length considered for coverage and popularity bias. */
  k?: number;
  ndcgK?: number;
  hitK?: number;
  /** Item ids that count for coverage (default: the keys of `popularity`). */
  catalog?: readonly string[];
  /** Training popularity of items (e.g. distinct buyers), for popularity bias. */
  popularity?: ReadonlyMap<string, number>;
  /** Bootstrap resamples over users (0 = no intervals). */
  bootstrap?: number;
  seed?: number;
}

export interface Evaluation {
  users: number;
  k: number;
  ndcgK: number;
  hitK: number;
  recall: Estimate;
  ndcg: Estimate;
  hitRate: Estimate;
  /**
   * Share of the catalog that appears in at least one top-k list. A plain number: it is
   * not an average over people (a bootstrap resample holds ~63% distinct people, so its
   * coverage is biased low and a percentile interval would not even contain the value).
   */
  coverage: number;
  /** Mean popularity percentile of recommended items: 1 = always the most popular. */
  popularityBias: Estimate;
}

/** Recall@k = hits in the top k / min(k, |truth|) (Liang et al. 2018, as used by EASE). */
export function recallAt(list: readonly string[], truth: ReadonlySet<string>, k: number): number {
  if (truth.size === 0) return 0;
  let hits = 0;
  for (let r = 0; r < Math.min(k, list.length); r++) if (truth.has(list[r]!)) hits++;
  return hits / Math.min(k, truth.size);
}

/** Binary-relevance NDCG@k: Σ hit_r / log2(r + 1) over the ideal ordering's value. */
export function ndcgAt(list: readonly string[], truth: ReadonlySet<string>, k: number): number {
  if (truth.size === 0) return 0;
  let dcg = 0;
  for (let r = 0; r < Math.min(k, list.length); r++) {
    if (truth.has(list[r]!)) dcg += 1 / Math.log2(r + 2);
  }
  let ideal = 0;
  for (let r = 0; r < Math.min(k, truth.size); r++) ideal += 1 / Math.log2(r + 2);
  return dcg / ideal;
}

/** 1 when any of the top k is in the truth. */
export function hitAt(list: readonly string[], truth: ReadonlySet<string>, k: number): number {
  for (let r = 0; r < Math.min(k, list.length); r++) if (truth.has(list[r]!)) return 1;
  return 0;
}

/**
 * Mid-rank popularity percentile of each item among `catalog`: (#less + (#equal − 1)/2)
 * / (N − 1), so the single most popular item is 1 and the least popular 0. Unknown
 * items count as popularity 0.
 */
export function popularityPercentiles(
  catalog: readonly string[],
  popularity: ReadonlyMap<string, number>,
): Map<string, number> {
  const pops = catalog.map((id) => popularity.get(id) ?? 0).sort((a, b) => a - b);
  const n = pops.length;
  const out = new Map<string, number>();
  for (const id of catalog) {
    const p = popularity.get(id) ?? 0;
    const less = lowerBound(pops, p);
    const equal = lowerBound(pops, p, true) - less;
    out.set(id, n <= 1 ? 1 : (less + (equal - 1) / 2) / (n - 1));
  }
  return out;
}

function lowerBound(sorted: readonly number[], v: number, strict = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strict ? sorted[mid]! <= v : sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Offline metrics of top-k lists against held-out truth, averaged over the users with
 * at least one truth item (a user without a list scores 0), with 95% percentile
 * bootstrap intervals from resampling those users (seeded, so reproducible).
 * @example
 * evaluate(new Map([['u', ['a', 'b']]]), new Map([['u', new Set(['b'])]]), { k: 2, bootstrap: 0 });
 * // recall 1, ndcg 1/log2(3) ≈ 0.63, hitRate 1
 */
export function evaluate(
  recs: ReadonlyMap<string, readonly string[]>,
  truth: ReadonlyMap<string, ReadonlySet<string> | readonly string[]>,
  options: EvaluateOptions = {},
): Evaluation {
  const k = options.k ?? 20;
  const ndcgK = options.ndcgK ?? Math.min(10, k);
  const hitK = options.hitK ?? Math.min(10, k);
  const popularity = options.popularity ?? new Map<string, number>();
  const catalog = options.catalog ?? [...popularity.keys()];
  const percentile = popularityPercentiles(catalog, popularity);
  const catalogIndex = new Map(catalog.map((id, i) => [id, i]));

  const users: string[] = [];
  const lists: Int32Array[] = [];
  const per = {
    recall: [] as number[],
    ndcg: [] as number[],
    hit: [] as number[],
    pop: [] as number[],
  };
  for (const [user, t] of truth) {
    const set = t instanceof Set ? (t as ReadonlySet<string>) : new Set(t as readonly string[]);
    if (set.size === 0) continue;
    const list = (recs.get(user) ?? []).slice(0, k);
    users.push(user);
    per.recall.push(recallAt(list, set, k));
    per.ndcg.push(ndcgAt(list, set, ndcgK));
    per.hit.push(hitAt(list, set, hitK));
    let p = 0;
    for (const id of list) p += percentile.get(id) ?? 0;
    per.pop.push(list.length > 0 ? p / list.length : 0);
    lists.push(Int32Array.from(list.flatMap((id) => catalogIndex.get(id) ?? [])));
  }
  const n = users.length;
  const stamp = new Uint8Array(catalog.length);
  let covered = 0;
  for (const list of lists) {
    for (const i of list) {
      if (stamp[i] !== 1) {
        stamp[i] = 1;
        covered++;
      }
    }
  }
  const mean = (xs: readonly number[], sample?: ArrayLike<number>) => {
    if (n === 0) return 0;
    let s = 0;
    if (!sample) for (const x of xs) s += x;
    else for (let i = 0; i < sample.length; i++) s += xs[sample[i]!]!;
    return s / n;
  };
  const point = {
    recall: mean(per.recall),
    ndcg: mean(per.ndcg),
    hit: mean(per.hit),
    pop: mean(per.pop),
    coverage: catalog.length > 0 ? covered / catalog.length : 0,
  };

  const rounds = n > 0 ? (options.bootstrap ?? 1000) : 0;
  const draws = {
    recall: [] as number[],
    ndcg: [] as number[],
    hit: [] as number[],
    pop: [] as number[],
    coverage: [] as number[],
  };
  const rng = mulberry32(options.seed ?? 1);
  const sample = new Int32Array(n);
  for (let b = 0; b < rounds; b++) {
    for (let i = 0; i < n; i++) sample[i] = Math.floor(rng() * n);
    draws.recall.push(mean(per.recall, sample));
    draws.ndcg.push(mean(per.ndcg, sample));
    draws.hit.push(mean(per.hit, sample));
    draws.pop.push(mean(per.pop, sample));
  }
  const est = (value: number, d: number[]): Estimate => {
    if (d.length === 0) return { value, low: value, high: value };
    d.sort((a, b) => a - b);
    return {
      value,
      low: d[Math.floor(0.025 * d.length)]!,
      high: d[Math.max(0, Math.ceil(0.975 * d.length) - 1)]!,
    };
  };
  return {
    users: n,
    k,
    ndcgK,
    hitK,
    recall: est(point.recall, draws.recall),
    ndcg: est(point.ndcg, draws.ndcg),
    hitRate: est(point.hit, draws.hit),
    coverage: point.coverage,
    popularityBias: est(point.pop, draws.pop),
  };
}

/**
 * Paired comparison of two recommenders on the same people: the mean per-person
 * difference (a − b) of NDCG@k, with a 95% bootstrap interval from resampling people.
 * An interval above 0 means a is better beyond resampling noise.
 */
export function pairedNdcgDifference(
  a: ReadonlyMap<string, readonly string[]>,
  b: ReadonlyMap<string, readonly string[]>,
  truth: ReadonlyMap<string, ReadonlySet<string>>,
  k = 10,
  options: { bootstrap?: number; seed?: number } = {},
): Estimate {
  const diffs: number[] = [];
  for (const [user, t] of truth) {
    if (t.size === 0) continue;
    diffs.push(ndcgAt(a.get(user) ?? [], t, k) - ndcgAt(b.get(user) ?? [], t, k));
  }
  const n = diffs.length;
  const mean = (pick: (i: number) => number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += diffs[pick(i)]!;
    return n > 0 ? s / n : 0;
  };
  const value = mean((i) => i);
  const rounds = n > 0 ? (options.bootstrap ?? 1000) : 0;
  const rng = mulberry32(options.seed ?? 1);
  const draws: number[] = [];
  for (let r = 0; r < rounds; r++) draws.push(mean(() => Math.floor(rng() * n)));
  if (draws.length === 0) return { value, low: value, high: value };
  draws.sort((x, y) => x - y);
  return {
    value,
    low: draws[Math.floor(0.025 * draws.length)]!,
    high: draws[Math.max(0, Math.ceil(0.975 * draws.length) - 1)]!,
  };
}
