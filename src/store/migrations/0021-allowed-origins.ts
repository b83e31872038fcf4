import type { Kysely } from 'kysely';

/**
 * The web origins each workspace lets call its browser routes (CORS, docs/sdk.md). The
 * settings document (`cors.allowedOrigins`) is what admins read and write; this table
 * mirrors it, written in the same transaction, because a CORS preflight carries no key:
 * it names only an origin, so "does any workspace list this origin" must be an index
 * read, not a scan of every workspace's settings. No workspace lists any origin yet.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('allowed_origins')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('allowed_origins_pk', ['workspace_id', 'origin'])
    .execute();
  await db.schema
    .createIndex('allowed_origins_origin')
    .on('allowed_origins')
    .column('origin')
    .execute();
}
