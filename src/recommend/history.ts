import type { FeedbackTable } from './feedback.js';
import type { HistoryConfig } from './model-config.js';
import type { Interaction } from './schemas.js';
import { buildFeedbackTable } from './feedback.js';

/**
 * Each person's aggregated history (last view/cart/purchase per item), trained from the
 * interaction log and then kept current by `observe`. It backs `recently_viewed`,
 * exclude-purchased, replenishment and the input of the personalized models.
 */
export interface HistoryModel extends FeedbackTable {
  kind: 'history';
  name: string;
  strategy: 'history';
  config: HistoryConfig;
  trainedAt: number;
  trainedThrough: number | null;
}

/** O(N + rows log rows). */
export function trainHistory(
  config: HistoryConfig,
  interactions: readonly Interaction[],
  now: number,
  table?: FeedbackTable,
): HistoryModel {
  const t =
    table && config.maxItemsPerUser >= maxRowLength(table)
      ? table
      : buildFeedbackTable(interactions, { maxItemsPerUser: config.maxItemsPerUser });
  let through = -Infinity;
  for (let r = 0; r < t.item.length; r++) {
    through = Math.max(through, t.lastView[r]!, t.lastCart[r]!, t.lastPurchase[r]!);
  }
  return {
    kind: 'history',
    name: config.name ?? 'history',
    strategy: 'history',
    config,
    trainedAt: now,
    trainedThrough: through === -Infinity ? null : through,
    ...t,
  };
}

function maxRowLength(t: FeedbackTable): number {
  let m = 0;
  for (let u = 0; u < t.userIds.length; u++) m = Math.max(m, t.userPtr[u + 1]! - t.userPtr[u]!);
  return m;
}
