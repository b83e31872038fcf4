import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Refused events are deleted once past their retention: the cleanup finds the oldest
  // by time without scanning the table.
  await db.schema
    .createIndex('rejected_events_received_at')
    .on('rejected_events')
    .column('received_at')
    .execute();
}
