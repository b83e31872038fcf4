import { DAY_MS } from './affinity-facts.js';
import type { AffinityScore } from './computed-traits.js';
import type { DayWeights } from './facts-schema.js';
import type { Entries } from './records.js';

/**
 * Decayed affinity at `now`: Σ weight · 2^(−age / half-life), each day's weight dated at
 * the start of its UTC day. Every bucket then decays by the same factor as time passes, so
 * the ranking of values changes only when events arrive: segments on "top category" stay
 * true without re-checks, and a recompute agrees with what was evaluated at the event.
 * (Dated at noon, today's bucket sat in the future each morning, held at full weight
 * while the others decayed, and rankings flipped with no event.) Buckets of a later day
 * than `now` (a client clock running fast) count at full weight rather than more.
 */
export function affinityScore(buckets: DayWeights, now: number, halfLifeDays: number): number {
  let score = 0;
  for (const [day, weight] of buckets) {
    const ageDays = Math.max(0, (now - day * DAY_MS) / DAY_MS);
    score += weight * Math.pow(2, -ageDays / halfLifeDays);
  }
  return score;
}

/**
 * The `top` values by decayed score (ties by value), scores > 0 only.
 *
 * When no bucket lies after `now`, every score is one common factor, 2^(−(now − ref) /
 * half-life), times a sum that does not depend on `now` (ages taken from the latest
 * bucket, `ref`). Values are ranked by that sum, so the order is the same at every `now`
 * to the last bit: computed directly, two scores that are equal in exact arithmetic (one
 * view 30 days after two views, at a 30-day half-life) round either way depending on
 * `now`, and a "top category" would flip between evaluations with no event.
 */
export function topAffinities(
  values: Entries<DayWeights>,
  now: number,
  halfLifeDays: number,
  top: number,
): AffinityScore[] {
  let ref = -Infinity;
  for (const [, buckets] of values) ref = Math.max(ref, buckets[buckets.length - 1]?.[0] ?? ref);
  if (ref * DAY_MS > now) {
    // A bucket after `now` counts at full weight, so scores do not share one factor.
    return values
      .map(([value, buckets]) => ({ value, score: affinityScore(buckets, now, halfLifeDays) }))
      .filter((a) => a.score > 0)
      .sort(byScoreThenValue)
      .slice(0, top);
  }
  const factor = Math.pow(2, -(now - ref * DAY_MS) / DAY_MS / halfLifeDays);
  return values
    .map(([value, buckets]) => {
      let key = 0;
      for (const [day, weight] of buckets) key += weight * Math.pow(2, -(ref - day) / halfLifeDays);
      return { value, key, score: key * factor };
    })
    .filter((a) => a.score > 0)
    .sort((a, b) => b.key - a.key || byValue(a, b))
    .slice(0, top)
    .map(({ value, score }) => ({ value, score }));
}

function byScoreThenValue(a: AffinityScore, b: AffinityScore): number {
  return b.score - a.score || byValue(a, b);
}

function byValue(a: { value: string }, b: { value: string }): number {
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
