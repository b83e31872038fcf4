// What recommendations a person was shown over HTTP, and why: the trace's record of them
// (those in e-mails are in the message's payload). Bounded: items per record, records
// per person, and the messages' retention (`privacy.retention.messagesDays`).

import type { Kysely } from 'kysely';
import { z } from 'zod';
import { decodeJson, newTimeOrderedId } from '../shared/index.js';
import { withLazyCommitTransaction, type Database, type Store } from '../store/index.js';

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

export interface Shown {
  request: Record<string, unknown>;
  items: readonly ShownItem[];
}

/** Records recommendations served to a person; trims their oldest records past the bound. */
export async function recordRecommendationExposure(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  shown: Shown,
  now: number,
): Promise<void> {
  await db
    .insertInto('recommendation_exposures')
    .values(exposureRow(workspaceId, profileId, shown, now))
    .execute();
  await trimExposures(db, workspaceId, profileId);
}

function exposureRow(workspaceId: string, profileId: string, shown: Shown, now: number) {
  // Typed by the caller: copied field by field rather than re-validated on the serving path.
  const items = shown.items.slice(0, EXPOSURE_ITEMS).map(({ itemId, title, strategy, reason }) => ({
    itemId,
    title: title ?? null,
    strategy,
    reason,
  }));
  return {
    id: newTimeOrderedId('rex', now),
    workspace_id: workspaceId,
    profile_id: profileId,
    source: 'api',
    items: JSON.stringify({ request: shown.request, items }),
    served_at: now,
  };
}

/** One statement trims the person's records past the bound: no ids travel to the client. */
async function trimExposures(db: Kysely<Database>, workspaceId: string, profileId: string) {
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

/** Queued records past this are dropped (and counted): the trace is not worth memory. */
const MAX_QUEUED = 20_000;

/**
 * The serving path's recorder: the answer does not wait for its record. Records queue
 * and are written together on the next turn of the event loop, in one transaction whose
 * commit does not wait for the disk (`withLazyCommitTransaction`), with one trim per
 * person in the batch, so a flood of requests costs a few statements per batch instead
 * of an insert, a delete and a flushed commit each. A failed batch is reported to
 * `onError` and dropped: what was shown is a record for the trace, not the answer.
 * Readers in this process (the trace, an export) call `flush()` first.
 */
export class ExposureLog {
  private queue: { workspaceId: string; profileId: string; shown: Shown; now: number }[] = [];
  private flushing: Promise<void> | null = null;
  dropped = 0;

  constructor(
    private readonly store: Store,
    private readonly onError: (error: unknown) => void,
  ) {}

  record(workspaceId: string, profileId: string, shown: Shown, now: number): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.dropped++;
      return;
    }
    this.queue.push({ workspaceId, profileId, shown, now });
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.drain(),
    );
  }

  /** Resolves once every record queued before the call is written (or reported failed). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 500);
      try {
        await withLazyCommitTransaction(this.store, async (tx) => {
          await tx
            .insertInto('recommendation_exposures')
            .values(batch.map((b) => exposureRow(b.workspaceId, b.profileId, b.shown, b.now)))
            .execute();
          const people = new Map(batch.map((b) => [`${b.workspaceId}\u0000${b.profileId}`, b]));
          for (const b of people.values()) await trimExposures(tx, b.workspaceId, b.profileId);
        });
      } catch (error) {
        this.onError(error);
      }
    }
    this.flushing = null;
  }
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
