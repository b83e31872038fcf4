import {
  AFFINITY_KINDS,
  type AffinityKind,
  type DayWeights,
  type ProfileFacts,
} from './facts-schema.js';
import { mergeEntries, updateEntry, type Entries } from './records.js';

type Affinity = ProfileFacts['affinity'];

/**
 * Affinities are kept as integer weights per UTC day, not as running decayed sums: sums of
 * integers are exact in any order (floating-point sums are not associative, and Math.exp may
 * differ in the last bit between engines), so facts stay byte-identical across arrival orders
 * and rebuilds, and the half-life is a read-time setting that needs no rebuild. Buckets more
 * than AFFINITY_HORIZON_DAYS older than the latest product event are dropped: at the default
 * 30-day half-life they weigh under 0.03% of a fresh event. The kept set depends only on the
 * latest day, so pruning commutes with arrival order too.
 */
export const AFFINITY_HORIZON_DAYS = 365;

export const DAY_MS = 86_400_000;
/** The UTC day number of a timestamp (days since 1970-01-01). */
export const dayOf = (t: number): number => Math.floor(t / DAY_MS);

export interface AffinityHit {
  kind: AffinityKind;
  value: string;
  weight: number;
}

/** Adds `weight` to the bucket of `day`, keeping buckets sorted. */
function addToBuckets(list: DayWeights, day: number, weight: number): DayWeights {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]![0] < day) lo = mid + 1;
    else hi = mid;
  }
  const at = list[lo];
  if (at?.[0] === day) return [...list.slice(0, lo), [day, at[1] + weight], ...list.slice(lo + 1)];
  return [...list.slice(0, lo), [day, weight], ...list.slice(lo)];
}

function mergeBuckets(a: DayWeights, b: DayWeights): DayWeights {
  return b.reduce((list, [day, w]) => addToBuckets(list, day, w), a);
}

/** Drops buckets older than the horizon, and values left with none. */
function prune(values: Entries<DayWeights>, oldest: number): Entries<DayWeights> {
  const out: Entries<DayWeights> = [];
  for (const [value, buckets] of values) {
    const kept = buckets[0]![0] >= oldest ? buckets : buckets.filter(([d]) => d >= oldest);
    if (kept.length > 0) out.push(kept === buckets ? [value, buckets] : [value, kept]);
  }
  return out;
}

function pruneAll(aff: Affinity, lastDay: number): Affinity {
  const oldest = lastDay - AFFINITY_HORIZON_DAYS;
  return {
    last_day: lastDay,
    category: prune(aff.category, oldest),
    brand: prune(aff.brand, oldest),
    size: prune(aff.size, oldest),
    colour: prune(aff.colour, oldest),
  };
}

/** Records the product hits of one event seen on `day`. */
export function addAffinity(aff: Affinity, day: number, hits: readonly AffinityHit[]): Affinity {
  if (hits.length === 0) return aff;
  const lastDay = aff.last_day === null ? day : Math.max(aff.last_day, day);
  if (day < lastDay - AFFINITY_HORIZON_DAYS) return aff;
  const out: Affinity = { ...aff, last_day: lastDay };
  for (const kind of AFFINITY_KINDS) {
    // This event's weights per value, merged into the sorted list in one pass.
    const weights = new Map<string, number>();
    for (const hit of hits) {
      if (hit.kind === kind) weights.set(hit.value, (weights.get(hit.value) ?? 0) + hit.weight);
    }
    if (weights.size === 0) continue;
    if (weights.size === 1) {
      const [value, weight] = weights.entries().next().value!;
      out[kind] = updateEntry(out[kind], value, (b) => addToBuckets(b ?? [], day, weight));
      continue;
    }
    const add: Entries<DayWeights> = [...weights]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([value, weight]) => [value, [[day, weight]]]);
    out[kind] = mergeEntries(out[kind], add, mergeBuckets);
  }
  return aff.last_day !== null && lastDay > aff.last_day ? pruneAll(out, lastDay) : out;
}

/** The affinity facts of two profiles taken together. */
export function mergeAffinity(a: Affinity, b: Affinity): Affinity {
  if (a.last_day === null) return b;
  if (b.last_day === null) return a;
  const merged: Affinity = { ...a, last_day: Math.max(a.last_day, b.last_day) };
  for (const kind of AFFINITY_KINDS) merged[kind] = mergeEntries(a[kind], b[kind], mergeBuckets);
  return pruneAll(merged, merged.last_day!);
}
