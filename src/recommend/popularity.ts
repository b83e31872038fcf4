import { buildFeedbackTable, type FeedbackEntry } from './feedback.js';
import type { PopularityConfig } from './model-config.js';
import { DAY_MS, type FeedbackWeights, type Interaction } from './schemas.js';

/**
 * Time-decayed popularity. Scores are kept relative to `refTime`, so the score of item i
 * at time t is `scores[i] · 2^(−(t − refTime) / halfLife)`: one common factor for all
 * items, so rankings never need it and an interaction updates one number.
 */
export interface PopularityModel {
  kind: 'popularity';
  name: string;
  strategy: 'popular' | 'trending';
  config: PopularityConfig;
  trainedAt: number;
  trainedThrough: number | null;
  itemIds: string[];
  refTime: number;
  scores: Float64Array;
}

export const halfLifeMs = (days: number | null): number | null =>
  days === null ? null : days * DAY_MS;

/** `w · 2^((t − ref) / h)`, or `w` without decay. */
export function decayFrom(w: number, t: number, ref: number, h: number | null): number {
  if (w === 0 || t === -Infinity) return 0;
  return h === null ? w : w * Math.pow(2, (t - ref) / h);
}

/** One person's contribution to an item in `users` mode: the strongest decayed kind. */
export function refStrength(
  e: FeedbackEntry,
  weights: FeedbackWeights,
  h: number | null,
  ref: number,
): number {
  return Math.max(
    decayFrom(weights.view, e.lastView, ref, h),
    decayFrom(weights.cart, e.lastCart, ref, h),
    decayFrom(weights.purchase, e.lastPurchase, ref, h),
  );
}

/**
 * Trains popularity. In `users` mode an item scores the sum over people of their
 * strongest decayed signal (each person counts once per item); in `interactions` mode
 * every interaction adds its decayed weight. O(N).
 */
export function trainPopularity(
  config: PopularityConfig,
  interactions: readonly Interaction[],
  now: number,
): PopularityModel {
  const h = halfLifeMs(config.halfLifeDays);
  const users = config.userIds ? new Set(config.userIds) : undefined;
  let through = -Infinity;
  const itemIds: string[] = [];
  let scores: Float64Array;
  if (config.count === 'users') {
    const t = buildFeedbackTable(interactions, users ? { userIds: users } : {});
    itemIds.push(...t.itemIds);
    scores = new Float64Array(itemIds.length);
    for (let r = 0; r < t.item.length; r++) {
      const e = {
        lastView: t.lastView[r]!,
        lastCart: t.lastCart[r]!,
        lastPurchase: t.lastPurchase[r]!,
        count: 0,
        quantity: 0,
      };
      scores[t.item[r]!]! += refStrength(e, config.weights, h, now);
      through = Math.max(through, e.lastView, e.lastCart, e.lastPurchase);
    }
  } else {
    const index = new Map<string, number>();
    const acc: number[] = [];
    for (const x of interactions) {
      if (users && !users.has(x.userId)) continue;
      let i = index.get(x.itemId);
      if (i === undefined) {
        i = itemIds.length;
        index.set(x.itemId, i);
        itemIds.push(x.itemId);
        acc.push(0);
      }
      acc[i]! += decayFrom(config.weights[x.kind], x.timestamp, now, h);
      through = Math.max(through, x.timestamp);
    }
    scores = Float64Array.from(acc);
  }
  return {
    kind: 'popularity',
    name: config.name ?? config.strategy,
    strategy: config.strategy,
    config,
    trainedAt: now,
    trainedThrough: through === -Infinity ? null : through,
    itemIds,
    refTime: now,
    scores,
  };
}
