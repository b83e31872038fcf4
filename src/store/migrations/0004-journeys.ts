import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('journeys')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('template', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('journeys_pk', ['workspace_id', 'id'])
    .execute();

  await db.schema
    .createTable('journey_versions')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('journey_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('journey_versions_pk', ['workspace_id', 'journey_id', 'version'])
    .execute();

  await db.schema
    .createTable('journey_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('journey_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('holdout', 'integer', (c) => c.notNull())
    /** The timer: when a `timer` input is due; NULL when none. */
    .addColumn('wake_at', 'bigint')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('journey_runs_due')
    .on('journey_runs')
    .column('wake_at')
    .where(sql.ref('wake_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('journey_runs_profile')
    .on('journey_runs')
    .columns(['profile_id', 'journey_id', 'ended_at'])
    .execute();
  await db.schema
    .createIndex('journey_runs_journey')
    .on('journey_runs')
    .columns(['workspace_id', 'journey_id', 'version'])
    .execute();

  // The outbox: one row per message a step produced, written in the step's transaction.
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('profile_id', 'text', (c) => c.notNull())
    .addColumn('journey_id', 'text')
    .addColumn('run_id', 'text')
    .addColumn('step_id', 'text')
    /** `<runId>:<stepId>:<visit>` for journey messages: one message per step visit, ever. */
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    /** JSON: destination and rendered content, kept so what was sent can be shown later. */
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint')
    /** A sender's lease: a crashed sender's message is retried after it. */
    .addColumn('locked_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('messages_due')
    .on('messages')
    .column('next_attempt_at')
    .where(sql.ref('next_attempt_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('messages_profile')
    .on('messages')
    .columns(['workspace_id', 'profile_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('messages_journey')
    .on('messages')
    .columns(['workspace_id', 'journey_id', 'created_at'])
    .execute();

  await ctx
    .idColumn(db.schema.createTable('message_events'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_events_message')
    .on('message_events')
    .columns(['message_id', 'id'])
    .execute();
}
