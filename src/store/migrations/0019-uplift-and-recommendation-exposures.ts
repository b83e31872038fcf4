import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/**
 * `uplift_models`: one row per journey with a holdout, the latest training of its uplift
 * model: status (`trained`, `insufficient_data`, `failed`), the sample it saw, its
 * held-out scores, and the fitted scorer (coefficients over computed traits, JSON; kept
 * from the last successful training). Aggregates only: it names no one.
 *
 * `recommendation_exposures`: the recommendations served to an identified person over
 * HTTP (those in messages are in the message's payload), with each item's strategy and
 * reason, so the person's trace can say what was shown and why. Keyed by person for
 * erasure and export; `served_at` for retention.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('uplift_models')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('journey_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('sample', 'text', (c) => c.notNull())
    .addColumn('metrics', 'text')
    .addColumn('scorer', 'text')
    .addColumn('attempted_at', 'bigint', (c) => c.notNull())
    .addColumn('trained_at', 'bigint')
    .addPrimaryKeyConstraint('uplift_models_pk', ['workspace_id', 'journey_id'])
    .execute();
  await db.schema
    .createTable('recommendation_exposures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('served_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('recommendation_exposures_person')
    .on('recommendation_exposures')
    .columns(['workspace_id', 'profile_id', 'served_at'])
    .execute();
  await db.schema
    .createIndex('recommendation_exposures_served')
    .on('recommendation_exposures')
    .columns(['workspace_id', 'served_at'])
    .execute();
}
