import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/**
 * Erasure (GDPR art. 17) and its tombstones.
 *
 * `erasure_jobs`: one row per erasure asked for. The job is worked in steps by a worker
 * loop; `step` is where it is, so a killed process resumes where it stopped. `subject`
 * holds the person's identifiers and profile ids while the job runs (it needs them to
 * find rows) and is emptied when it is done; `request_hash` (a salted hash of the kind
 * and value asked for) makes asking again for the same person answer the same job.
 *
 * `erasure_tombstones`: salted hashes of an erased person's identifiers, so later events
 * naming them are refused or anonymized (the workspace's `privacy.afterErasure`).
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('erasure_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('removed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('erasure_jobs_request')
    .on('erasure_jobs')
    .columns(['workspace_id', 'request_hash'])
    .execute();
  await db.schema.createIndex('erasure_jobs_status').on('erasure_jobs').column('status').execute();
  await db.schema
    .createTable('erasure_tombstones')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('erasure_tombstones_pk', ['workspace_id', 'hash'])
    .execute();
}
