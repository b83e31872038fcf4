import { pushTo } from '../shared/index.js';
import type { CoOccurrenceConfig } from './model-config.js';
import type { Interaction } from './schemas.js';

/** A person's last basket/session, kept so that new interactions can continue it. */
export interface OpenSession {
  userId: string;
  startAt: number;
  lastAt: number;
  items: number[];
}

/**
 * Item-item co-occurrence counts: how many baskets (sessions, or whole user histories in
 * `user` scope) hold each item and each pair. Pairs are stored both ways as CSR rows, so
 * "what goes with item a" is one contiguous row. Similarities are computed from the
 * counts when asked, which lets `observe` update counts in O(basket size).
 */
export interface CoOccurrenceModel {
  kind: 'co_occurrence';
  name: string;
  strategy: 'bought_together' | 'viewed_together';
  config: CoOccurrenceConfig;
  trainedAt: number;
  trainedThrough: number | null;
  itemIds: string[];
  baskets: number;
  itemCounts: Float64Array;
  rowPtr: Int32Array;
  cols: Int32Array;
  counts: Float32Array;
  openSessions: OpenSession[];
}

/**
 * The similarity of a pair seen together `c` times, items in `ca` and `cb` of `n`
 * baskets, damped by `c / (c + shrinkage)` so that a pair seen once between two rare
 * items does not outrank a pair seen fifty times (Koren 2008's shrinkage of neighbour
 * weights).
 */
export function pairSimilarity(
  config: Pick<CoOccurrenceConfig, 'similarity' | 'shrinkage' | 'minCount'>,
  c: number,
  ca: number,
  cb: number,
  n: number,
): number {
  if (c < config.minCount || ca <= 0 || cb <= 0) return 0;
  let s: number;
  if (config.similarity === 'cosine') s = c / Math.sqrt(ca * cb);
  else if (config.similarity === 'jaccard') s = c / (ca + cb - c);
  else s = (n * c) / (ca * cb);
  return s * (c / (c + config.shrinkage));
}

/**
 * Splits each person's interactions (of the configured kinds, in time order) into
 * baskets: a gap longer than `sessionGapMinutes` starts a new one; `user` scope makes
 * the whole history one basket. Then counts items and pairs per basket, each once.
 * Cost O(N log N + Σ basket²), with a dense counter per row instead of a hash of pairs.
 */
export function trainCoOccurrence(
  config: CoOccurrenceConfig,
  interactions: readonly Interaction[],
  now: number,
): CoOccurrenceModel {
  const kinds = new Set(config.kinds);
  const gap = config.sessionGapMinutes * 60_000;
  const itemIndex = new Map<string, number>();
  const itemIds: string[] = [];
  const byUser = new Map<string, { t: number; item: number }[]>();
  let through = -Infinity;
  for (const x of interactions) {
    if (!kinds.has(x.kind)) continue;
    let item = itemIndex.get(x.itemId);
    if (item === undefined) {
      item = itemIds.length;
      itemIndex.set(x.itemId, item);
      itemIds.push(x.itemId);
    }
    pushTo(byUser, x.userId, { t: x.timestamp, item });
    through = Math.max(through, x.timestamp);
  }

  const n = itemIds.length;
  const baskets: Int32Array[] = [];
  const openSessions: OpenSession[] = [];
  const seen = new Int32Array(n).fill(-1);
  for (const [userId, list] of byUser) {
    list.sort((a, b) => a.t - b.t);
    let items: number[] = [];
    let startAt = list[0]!.t;
    let prev = startAt;
    const close = () => {
      baskets.push(Int32Array.from(items).sort());
    };
    for (const { t, item } of list) {
      if (config.scope === 'session' && t - prev > gap) {
        close();
        items = [];
        startAt = t;
      }
      prev = t;
      if (seen[item] !== baskets.length) {
        seen[item] = baskets.length;
        items.push(item);
      }
    }
    close();
    if (config.scope === 'user' || prev + gap >= through) {
      openSessions.push({ userId, startAt, lastAt: prev, items: [...items] });
    }
  }

  const itemCounts = new Float64Array(n);
  // Inverted lists: the baskets holding each item.
  const holdPtr = new Int32Array(n + 1);
  for (const b of baskets) for (const i of b) holdPtr[i + 1]!++;
  for (let i = 0; i < n; i++) holdPtr[i + 1]! += holdPtr[i]!;
  const hold = new Int32Array(holdPtr[n]!);
  const fill = holdPtr.slice(0, n);
  baskets.forEach((b, k) => {
    for (const i of b) hold[fill[i]!++] = k;
  });

  const rowPtr = new Int32Array(n + 1);
  const rows: { cols: Int32Array; counts: Float32Array }[] = [];
  const counter = new Float64Array(n);
  const touched: number[] = [];
  for (let a = 0; a < n; a++) itemCounts[a] = holdPtr[a + 1]! - holdPtr[a]!;
  const sim = new Float64Array(n);
  const similarity = (a: number, b: number) =>
    pairSimilarity(config, counter[b]!, itemCounts[a]!, itemCounts[b]!, baskets.length);
  for (let a = 0; a < n; a++) {
    for (let p = holdPtr[a]!; p < holdPtr[a + 1]!; p++) {
      for (const b of baskets[hold[p]!]!) {
        if (b === a) continue;
        if (counter[b] === 0) touched.push(b);
        counter[b]! += 1;
      }
    }
    if (touched.length > config.maxPairsPerItem) {
      // Keep the neighbours that would rank: a row is read whole at serving time, so its
      // length is the per-request cost.
      for (const b of touched) sim[b] = similarity(a, b);
      touched.sort((x, y) => sim[y]! - sim[x]! || counter[y]! - counter[x]! || x - y);
      for (const b of touched.splice(config.maxPairsPerItem)) counter[b] = 0;
    }
    touched.sort((x, y) => x - y);
    const cols = Int32Array.from(touched);
    const counts = Float32Array.from(touched, (b) => counter[b]!);
    for (const b of touched) counter[b] = 0;
    touched.length = 0;
    rows.push({ cols, counts });
    rowPtr[a + 1] = rowPtr[a]! + cols.length;
  }
  const cols = new Int32Array(rowPtr[n]!);
  const counts = new Float32Array(rowPtr[n]!);
  rows.forEach((r, a) => {
    cols.set(r.cols, rowPtr[a]);
    counts.set(r.counts, rowPtr[a]);
  });

  return {
    kind: 'co_occurrence',
    name: config.name ?? config.strategy,
    strategy: config.strategy,
    config,
    trainedAt: now,
    trainedThrough: through === -Infinity ? null : through,
    itemIds,
    baskets: baskets.length,
    itemCounts,
    rowPtr,
    cols,
    counts,
    openSessions,
  };
}
