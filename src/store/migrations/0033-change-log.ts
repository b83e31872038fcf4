import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/**
 * The change log behind cross-process cache invalidation on SQLite (`change-feed.ts`):
 * each change to something a process caches (a key, a person's consent, a workspace's
 * settings) is a row written in the changing transaction. A single writer commits in
 * `seq` order and AUTOINCREMENT never reuses a number, so a reader that has seen every
 * row up to `seq` has missed nothing. Rows are kept minutes, not forever. PostgreSQL
 * announces the same changes with NOTIFY instead (delivered in commit order), so the
 * table stays empty there; it exists on both stores so their schemas stay one.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('change_log')
    .addColumn('seq', ctx.kind === 'sqlite' ? 'integer' : 'bigint', (c) =>
      ctx.kind === 'sqlite'
        ? c.primaryKey().autoIncrement()
        : c.primaryKey().generatedAlwaysAsIdentity(),
    )
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
