import type { Kysely } from 'kysely';
import { z } from 'zod';
import { withTransaction, type Database, type Store, type Tx } from '../store/index.js';

/** How much of an error message is kept with a quarantined event. */
const MAX_ERROR_CHARS = 2000;
/** Marks an event attributed to no one, so the profile stage no longer claims it. */
const UNATTRIBUTED = '';

export const QuarantineFilter = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z
    .string()
    .regex(/^[0-9]+$/, 'must be a cursor returned by a previous page')
    .optional(),
});
export type QuarantineFilter = z.infer<typeof QuarantineFilter>;

export const QuarantinedEvent = z.object({
  eventId: z.number().int(),
  messageId: z.string(),
  type: z.string(),
  event: z.string().nullable(),
  receivedAt: z.string(),
  quarantinedAt: z.string(),
  attempts: z.number().int(),
  error: z.string(),
  /** The event as the client sent it (text: it may be what could not be read). */
  raw: z.string(),
});
export type QuarantinedEvent = z.infer<typeof QuarantinedEvent>;

export const QuarantinePage = z.object({
  quarantined: z.array(QuarantinedEvent),
  nextCursor: z.string().nullable(),
});
export type QuarantinePage = z.infer<typeof QuarantinePage>;

/**
 * Sets an event aside with the error that stopped it: the log keeps it, the profile stage
 * stops claiming it. Idempotent: two workers quarantining the same event leave one row.
 */
export async function quarantineEvent(
  tx: Tx,
  entry: { eventId: number; workspaceId: string; error: string; attempts: number; now: number },
): Promise<void> {
  const error = entry.error.slice(0, MAX_ERROR_CHARS);
  await tx
    .insertInto('quarantined_events')
    .values({
      event_id: entry.eventId,
      workspace_id: entry.workspaceId,
      error,
      attempts: entry.attempts,
      quarantined_at: entry.now,
    })
    .onConflict((oc) =>
      oc
        .column('event_id')
        .doUpdateSet({ error, attempts: entry.attempts, quarantined_at: entry.now }),
    )
    .execute();
  await tx
    .updateTable('events')
    .set({ profile_id: UNATTRIBUTED })
    .where('id', '=', entry.eventId)
    .where('profile_id', 'is', null)
    .execute();
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A workspace's quarantined events, newest first, paged by event id. */
export async function listQuarantined(
  db: Kysely<Database>,
  workspaceId: string,
  filter: QuarantineFilter,
): Promise<QuarantinePage> {
  let q = db
    .selectFrom('quarantined_events as q')
    .innerJoin('events as e', 'e.id', 'q.event_id')
    .select([
      'q.event_id',
      'q.error',
      'q.attempts',
      'q.quarantined_at',
      'e.message_id',
      'e.type',
      'e.event',
      'e.received_at',
      'e.raw',
    ])
    .where('q.workspace_id', '=', workspaceId);
  if (filter.cursor) q = q.where('q.event_id', '<', Number(filter.cursor));
  const rows = await q
    .orderBy('q.event_id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  return {
    quarantined: page.map((r) => ({
      eventId: r.event_id,
      messageId: r.message_id,
      type: r.type,
      event: r.event,
      receivedAt: iso(r.received_at),
      quarantinedAt: iso(r.quarantined_at),
      attempts: r.attempts,
      error: r.error,
      raw: r.raw,
    })),
    nextCursor: rows.length > filter.limit ? String(page[page.length - 1]!.event_id) : null,
  };
}

/**
 * Puts a quarantined event back in the profile stage's queue (after a fix, say).
 * False when the workspace has no such quarantined event.
 */
export async function retryQuarantined(
  store: Store,
  workspaceId: string,
  eventId: number,
): Promise<boolean> {
  return withTransaction(store, async (tx) => {
    const removed = await tx
      .deleteFrom('quarantined_events')
      .where('workspace_id', '=', workspaceId)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return false;
    await tx
      .updateTable('events')
      .set({ profile_id: null })
      .where('id', '=', eventId)
      .where('profile_id', '=', UNATTRIBUTED)
      .execute();
    return true;
  });
}

/** Deletes a quarantined event from the log for good. False when there is none. */
export async function dropQuarantined(
  store: Store,
  workspaceId: string,
  eventId: number,
): Promise<boolean> {
  return withTransaction(store, async (tx) => {
    const removed = await tx
      .deleteFrom('quarantined_events')
      .where('workspace_id', '=', workspaceId)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return false;
    await tx.deleteFrom('events').where('id', '=', eventId).execute();
    return true;
  });
}

/** How many events are quarantined, across workspaces (for /metrics). */
export async function countQuarantined(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('quarantined_events')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
