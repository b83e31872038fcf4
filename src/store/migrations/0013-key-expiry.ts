import type { Kysely } from 'kysely';

/**
 * API keys get an optional expiry (set when created, or by a rotation's grace period) and
 * an optional name to tell them apart in `GET /v1/admin/keys`. Existing keys keep no
 * expiry and no name. Listing reads a workspace's keys, hence the index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('expires_at', 'bigint').execute();
  await db.schema.alterTable('api_keys').addColumn('name', 'text').execute();
  await db.schema
    .createIndex('api_keys_workspace')
    .on('api_keys')
    .columns(['workspace_id', 'created_at'])
    .execute();
}
