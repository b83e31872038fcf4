import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/**
 * Each workspace's latest trained recommendation bundle (docs/recommendations.md), so a
 * process that starts, or restarts, serves at once instead of training first, and a
 * training in one process reaches the others. One row per workspace, overwritten by each
 * training; `version` only grows (an erasure empties `bundle` and moves it on too), so a
 * process polling it sees every change. The models hold per-person histories keyed by
 * profile id: erasure covers the row.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('recommendation_models')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('format_version', 'integer', (c) => c.notNull())
    /** The encoded bundle (`recommend/bundle-codec.ts`); NULL after an erasure. */
    .addColumn('bundle', ctx.kind === 'sqlite' ? 'blob' : 'bytea')
    .addColumn('trained_at', 'bigint', (c) => c.notNull())
    /** The log id the bundle was trained through: a loading process follows on from it. */
    .addColumn('log_through', 'bigint', (c) => c.notNull())
    .addColumn('interactions', 'integer', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull())
    .addColumn('saved_at', 'bigint', (c) => c.notNull())
    .execute();
}
