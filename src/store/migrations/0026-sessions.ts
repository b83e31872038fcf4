import type { Kysely } from 'kysely';

/**
 * Dashboard sessions (docs/dashboard.md): an admin or read key exchanged for a cookie.
 * Only the SHA-256 of the cookie's random token is stored, with the hash of the key
 * that opened it, so each request re-checks that key (a revoked or expired key ends its
 * sessions at once). The dashboard's events-per-minute chart reads events by arrival
 * time, hence the index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();
  await db.schema
    .createIndex('events_received')
    .on('events')
    .columns(['workspace_id', 'received_at'])
    .execute();
}
