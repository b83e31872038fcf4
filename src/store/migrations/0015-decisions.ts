import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';

/**
 * Decisions: offers (versioned, with their budget counters on the live row so one
 * conditional UPDATE spends them), placements, coupon-code pools, the decision log and
 * each placement's learning state. Every row about a person carries workspace_id and
 * profile_id, so a person's data can be exported and erased by those two.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('offers')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // The offer as the API takes it (JSON); the columns below are what SQL needs.
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('budget_count', 'bigint')
    .addColumn('budget_spend', 'double precision')
    .addColumn('spent_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('spent_amount', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addPrimaryKeyConstraint('offers_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createTable('offer_versions')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('offer_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('offer_versions_pk', ['workspace_id', 'offer_id', 'version'])
    .execute();
  await ctx
    .idColumn(db.schema.createTable('offer_codes'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('offer_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    // Set once, when the code is handed out; never cleared (an erased person's code
    // stays spent, only the link to them goes).
    .addColumn('assigned_at', 'bigint')
    .addColumn('profile_id', 'text')
    .addColumn('decision_id', 'text')
    .addColumn('redeemed_at', 'bigint')
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('offer_codes_code')
    .unique()
    .on('offer_codes')
    .columns(['workspace_id', 'offer_id', 'code'])
    .execute();
  // The free codes, in import order: the claim's work queue.
  await db.schema
    .createIndex('offer_codes_free')
    .on('offer_codes')
    .columns(['workspace_id', 'offer_id', 'id'])
    .where(sql.ref('assigned_at'), 'is', null)
    .execute();
  // One code per person per offer, even when two workers decide for them at once.
  await db.schema
    .createIndex('offer_codes_person')
    .unique()
    .on('offer_codes')
    .columns(['workspace_id', 'offer_id', 'profile_id'])
    .where(sql.ref('profile_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('offer_codes_lookup')
    .on('offer_codes')
    .columns(['workspace_id', 'code'])
    .execute();

  await db.schema
    .createTable('placements')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .addPrimaryKeyConstraint('placements_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createTable('decision_policy_state')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('placement_id', 'text', (c) => c.notNull())
    // The placement version whose policy this state learns; another one starts afresh.
    .addColumn('policy_version', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    // Bumped on every write: the serving caches compare it to know they are stale.
    .addColumn('revision', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('decision_policy_state_pk', ['workspace_id', 'placement_id'])
    .execute();

  await db.schema
    .createTable('decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    // Null for a caller the store does not know (an anonymous id never seen).
    .addColumn('profile_id', 'text')
    .addColumn('placement_id', 'text', (c) => c.notNull())
    .addColumn('offer_id', 'text', (c) => c.notNull())
    .addColumn('offer_version', 'integer', (c) => c.notNull())
    .addColumn('policy_kind', 'text', (c) => c.notNull())
    .addColumn('policy_version', 'integer', (c) => c.notNull())
    .addColumn('propensity', 'double precision', (c) => c.notNull())
    .addColumn('distribution', 'text', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('holdout', 'integer', (c) => c.notNull())
    .addColumn('code', 'text')
    // A caller's key for the same decision asked twice (a message rendered again).
    .addColumn('dedupe_key', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('attribution_ends_at', 'bigint', (c) => c.notNull())
    .addColumn('clicked_at', 'bigint')
    .addColumn('converted_at', 'bigint')
    .addColumn('redeemed_at', 'bigint')
    .addColumn('revenue', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('reward', 'double precision', (c) => c.notNull().defaultTo(0))
    // Null until the policy has learned from this decision (its reward, or none once the
    // attribution window closed).
    .addColumn('learned_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('decisions_person')
    .on('decisions')
    .columns(['workspace_id', 'profile_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('decisions_log')
    .on('decisions')
    .columns(['workspace_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('decisions_dedupe')
    .unique()
    .on('decisions')
    .columns(['workspace_id', 'dedupe_key'])
    .where(sql.ref('dedupe_key'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('decisions_to_learn')
    .on('decisions')
    .columns(['workspace_id', 'placement_id', 'created_at'])
    .where(sql.ref('learned_at'), 'is', null)
    .execute();
}
