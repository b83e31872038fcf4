import type { Kysely } from 'kysely';
import { z } from 'zod';
import { decodeJson, type Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { PolicyState } from './core/types.js';
import { getPlacement } from './placements-repo.js';

/** How far back the decision counts reach: the log's time index bounds the read. */
export const STATS_DAYS = 30;

const Learned = z.object({
  offerId: z.string(),
  /** Decisions the policy has learned from (rewarded, or whose window closed). */
  n: z.number(),
  rewardSum: z.number(),
  /** rewardSum / n: the policy's estimate of the offer's reward rate; null before any. */
  meanReward: z.number().nullable(),
});

const Logged = z.object({
  offerId: z.string(),
  holdout: z.boolean(),
  decisions: z.number().int(),
  clicked: z.number().int(),
  converted: z.number().int(),
  redeemed: z.number().int(),
  revenue: z.number(),
});

export const PlacementStats = z.object({
  placement: z.string(),
  version: z.number().int(),
  policy: z.string(),
  /**
   * What the policy of the current version has learned, per offer; null when it has
   * learned nothing yet (or the state belongs to an older version, which starts afresh).
   */
  learned: z.array(Learned).nullable(),
  learnedAt: z.string().nullable(),
  /** The decision log of the last `days` days (all versions), per offer and holdout. */
  days: z.number().int(),
  logged: z.array(Logged),
});
export type PlacementStats = z.infer<typeof PlacementStats>;

/**
 * `GET /v1/placements/{name}/stats`: the policy's learned statistics per offer and the
 * log's counts per offer. A read of aggregates: it names no one.
 */
export async function placementStats(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  name: string,
): Promise<PlacementStats> {
  const placement = await getPlacement(db, workspaceId, name);
  const stored = await db
    .selectFrom('decision_policy_state')
    .select(['policy_version', 'state', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .where('placement_id', '=', name)
    .executeTakeFirst();
  const decoded =
    stored && stored.policy_version === placement.version
      ? decodeJson(PolicyState, stored.state)
      : null;
  const learned =
    decoded?.kind === 'ok'
      ? Object.entries(decoded.value.arms)
          .map(([offerId, a]) => ({
            offerId,
            n: a.n,
            rewardSum: a.rewardSum,
            meanReward: a.n > 0 ? a.rewardSum / a.n : null,
          }))
          .sort((a, b) => b.n - a.n || a.offerId.localeCompare(b.offerId))
      : null;
  const since = clock.now() - STATS_DAYS * 86_400_000;
  const rows = await db
    .selectFrom('decisions')
    .select((eb) => [
      'offer_id',
      'holdout',
      eb.fn.countAll<number | string>().as('decisions'),
      eb.fn.count<number | string>('clicked_at').as('clicked'),
      eb.fn.count<number | string>('converted_at').as('converted'),
      eb.fn.count<number | string>('redeemed_at').as('redeemed'),
      eb.fn.sum<number | string | null>('revenue').as('revenue'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', since)
    .where('placement_id', '=', name)
    .groupBy(['offer_id', 'holdout'])
    .execute();
  const logged = rows
    .map((r) => ({
      offerId: r.offer_id,
      holdout: r.holdout === 1,
      decisions: Number(r.decisions),
      clicked: Number(r.clicked),
      converted: Number(r.converted),
      redeemed: Number(r.redeemed),
      revenue: Number(r.revenue ?? 0),
    }))
    .sort((a, b) => b.decisions - a.decisions || a.offerId.localeCompare(b.offerId));
  return {
    placement: name,
    version: placement.version,
    policy: placement.policy.kind,
    learned: learned && learned.length > 0 ? learned : null,
    learnedAt: learned && stored ? new Date(stored.updated_at).toISOString() : null,
    days: STATS_DAYS,
    logged,
  };
}
