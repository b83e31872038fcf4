import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();

  await ctx
    .idColumn(db.schema.createTable('events'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('event', 'text')
    .addColumn('user_id', 'text')
    .addColumn('anonymous_id', 'text')
    .addColumn('previous_id', 'text')
    .addColumn('group_id', 'text')
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('raw', 'text', (c) => c.notNull())
    .execute();
  // The idempotency key: a replayed messageId hits this and is ignored.
  await db.schema
    .createIndex('events_message_id')
    .on('events')
    .columns(['workspace_id', 'message_id'])
    .unique()
    .execute();
  // Newest-first reads of one person's log.
  await db.schema
    .createIndex('events_user_id')
    .on('events')
    .columns(['workspace_id', 'user_id', 'id'])
    .execute();
  await db.schema
    .createIndex('events_anonymous_id')
    .on('events')
    .columns(['workspace_id', 'anonymous_id', 'id'])
    .execute();

  await ctx
    .idColumn(db.schema.createTable('rejected_events'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('batch_index', 'integer')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('raw', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rejected_events_workspace')
    .on('rejected_events')
    .columns(['workspace_id', 'id'])
    .execute();
}
