import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/**
 * The audit log: one row per admin action (keys, settings, segments, journeys,
 * templates, consent through the API, ...), written in the action's own transaction.
 * Rows are only ever appended; no route edits or deletes them. Pages are read newest
 * first by id within a workspace; `since`/`until` filter on `at`.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await ctx
    .idColumn(db.schema.createTable('audit_log'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    // The API key's id; 'env:RAPPORT_ADMIN_KEY' for the key from the environment.
    .addColumn('key_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('request_id', 'text')
    .addColumn('route', 'text')
    .execute();
  await db.schema
    .createIndex('audit_log_workspace')
    .on('audit_log')
    .columns(['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_log_workspace_at')
    .on('audit_log')
    .columns(['workspace_id', 'at'])
    .execute();
}
