import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Events the profile stage could not process after bounded retries. The event stays in
  // the log (marked attributed to no one, profile_id ''); this row says why, so it can be
  // retried or dropped instead of stalling every event behind it.
  await db.schema
    .createTable('quarantined_events')
    .addColumn('event_id', 'bigint', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('quarantined_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('quarantined_events_workspace')
    .on('quarantined_events')
    .columns(['workspace_id', 'event_id'])
    .execute();
}
