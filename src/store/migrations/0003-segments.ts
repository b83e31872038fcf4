import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('segments')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('definition', 'text', (c) => c.notNull())
    /** 'custom', or the built-in family it belongs to ('lifecycle', 'rfm'). */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    /** The version whose members have been back-filled from history. */
    .addColumn('backfilled_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addPrimaryKeyConstraint('segments_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('segments_workspace')
    .on('segments')
    .columns(['workspace_id', 'updated_at'])
    .execute();

  await db.schema
    .createTable('segment_members')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('segment_id', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('segment_members_pk', ['workspace_id', 'segment_id', 'profile_id'])
    .execute();
  await db.schema
    .createIndex('segment_members_profile')
    .on('segment_members')
    .columns(['profile_id', 'segment_id'])
    .execute();

  // When a (segment, person) result can next change with no new event: a window expiring,
  // a future-dated event arriving, a date trait crossing a boundary.
  await db.schema
    .createTable('segment_checks')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('segment_id', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('segment_checks_pk', ['workspace_id', 'segment_id', 'profile_id'])
    .execute();
  await db.schema.createIndex('segment_checks_due').on('segment_checks').column('due_at').execute();

  // Events by name for a person: what segment event conditions read.
  await db.schema
    .createIndex('events_profile_event')
    .on('events')
    .columns(['profile_id', 'event', 'timestamp'])
    .execute();
}
