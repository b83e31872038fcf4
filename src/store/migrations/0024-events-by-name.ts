import type { Kysely } from 'kysely';

/**
 * Events by workspace and name: which event names a workspace has seen (a segment or
 * journey naming one never seen gets a "did you mean" warning, read by skipping from one
 * name to the next instead of scanning the log) and `GET /v1/events?event=` pages.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('events_workspace_event')
    .on('events')
    .columns(['workspace_id', 'event', 'id'])
    .execute();
}
