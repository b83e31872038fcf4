import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/**
 * Experiments and who is in which arm. An experiment is a kind (journey, journey_step,
 * template, placement, global_control) and the id of what it tests; its arms and
 * attribution window are JSON and text. An assignment is recorded once, at a person's
 * first exposure: the primary key makes a second record a no-op (ON CONFLICT DO
 * NOTHING), so the first record wins in every process. Both are keyed by workspace, and
 * assignments by person too, so an erasure finds them.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('experiments')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('arms', 'text', (c) => c.notNull())
    .addColumn('control_arm', 'text', (c) => c.notNull())
    .addColumn('conversion_event', 'text', (c) => c.notNull())
    .addColumn('attribution_window', 'text', (c) => c.notNull())
    .addColumn('implicit', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('experiments_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('experiments_subject', ['workspace_id', 'kind', 'subject_id'])
    .execute();
  await db.schema
    .createTable('experiment_assignments')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('experiment_id', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('arm', 'text', (c) => c.notNull())
    .addColumn('assigned_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('experiment_assignments_pk', [
      'workspace_id',
      'experiment_id',
      'profile_id',
    ])
    .execute();
  await db.schema
    .createIndex('experiment_assignments_person')
    .on('experiment_assignments')
    .columns(['workspace_id', 'profile_id'])
    .execute();
}
