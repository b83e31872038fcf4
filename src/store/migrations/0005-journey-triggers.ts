import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Date triggers (birthdays, anniversaries): the next time each person's date comes round
  // for each date-triggered journey.
  await db.schema
    .createTable('journey_schedules')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('journey_id', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('journey_schedules_pk', ['workspace_id', 'journey_id', 'profile_id'])
    .execute();
  await db.schema
    .createIndex('journey_schedules_due')
    .on('journey_schedules')
    .column('due_at')
    .execute();

  // How far a consumer has read an append-only table (e.g. catalog changes).
  await db.schema
    .createTable('cursors')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('cursors_pk', ['workspace_id', 'name'])
    .execute();
}
