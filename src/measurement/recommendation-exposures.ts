// What recommendations a person was shown over HTTP, and why: the trace's record of them
// (those in e-mails are in the message's payload). Bounded: items per record, records
// per person, and the messages' retention (`privacy.retention.messagesDays`).

import type { Kysely } from 'kysely';
import { z } from 'zod';
import { decodeJson, newId } from '../shared/index.js';
import type { Database } from '../store/index.js';

/** Items kept per record, and records kept per person (the newest). */
export const EXPOSURE_ITEMS = 20;
export const EXPOSURES_PER_PERSON = 200;

export const ShownItem = z.object({
  itemId: z.string(),
  title: z.string().nullish(),
  strategy: z.string(),
  reason: z.object({ code: z.string(), text: z.string(), itemId: z.string().optional() }),
});
export type ShownItem = z.infer<typeof ShownItem>;
const Shown = z.object({
  request: z.record(z.string(), z.unknown()),
  items: z.array(ShownItem),
});

export interface RecommendationExposure {
  id: string;
  servedAt: number;
  source: string;
  request: Record<string, unknown>;
  items: ShownItem[];
}

/** Records recommendations served to a person; trims their oldest records past the bound. */
export async function recordRecommendationExposure(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  shown: { request: Record<string, unknown>; items: readonly ShownItem[] },
  now: number,
): Promise<void> {
  // Typed by the caller: copied field by field rather than re-validated on the serving path.
  const items = shown.items.slice(0, EXPOSURE_ITEMS).map(({ itemId, title, strategy, reason }) => ({
    itemId,
    title: title ?? null,
    strategy,
    reason,
  }));
  await db
    .insertInto('recommendation_exposures')
    .values({
      id: newId('rex'),
      workspace_id: workspaceId,
      profile_id: profileId,
      source: 'api',
      items: JSON.stringify({ request: shown.request, items }),
      served_at: now,
    })
    .execute();
  // One statement trims the person's records past the bound: no ids travel to the client.
  await db
    .deleteFrom('recommendation_exposures')
    .where(
      'id',
      'in',
      db
        .selectFrom('recommendation_exposures')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('profile_id', '=', profileId)
        .orderBy('served_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1000)
        .offset(EXPOSURES_PER_PERSON),
    )
    .execute();
}

/** A person's recorded exposures, oldest first (trace, export). */
export async function recommendationExposuresOf(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<RecommendationExposure[]> {
  const rows = await db
    .selectFrom('recommendation_exposures')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .orderBy('served_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    const shown = decodeJson(Shown, r.items);
    return {
      id: r.id,
      servedAt: r.served_at,
      source: r.source,
      request: shown.kind === 'ok' ? shown.value.request : {},
      items: shown.kind === 'ok' ? shown.value.items : [],
    };
  });
}

/** Erases a person's exposures; returns how many. */
export async function erasePersonRecommendationExposures(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<number> {
  const r = await db
    .deleteFrom('recommendation_exposures')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Retention: up to `limit` exposures served before `before`; returns how many went. */
export async function deleteRecommendationExposuresBefore(
  db: Kysely<Database>,
  workspaceId: string,
  before: number,
  limit: number,
): Promise<number> {
  const ids = (
    await db
      .selectFrom('recommendation_exposures')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('served_at', '<', before)
      .orderBy('served_at')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return 0;
  await db.deleteFrom('recommendation_exposures').where('id', 'in', ids).execute();
  return ids.length;
}
