import type { Kysely } from 'kysely';

/**
 * Encryption at rest (see docs/privacy.md). `encryption_keys` holds the data keys and
 * the blind-index key, each wrapped by the master key from RAPPORT_ENCRYPTION_KEY: a
 * master-key rotation re-wraps these few rows, and a data-key rotation adds a row and
 * re-encrypts data in the background while every key that still opens a row stays here.
 * Identities of kind email and phone keep their blind index in `value` (so the
 * uniqueness of (workspace, kind, value) and equality lookups still hold) and the
 * sealed address in `sealed_value`; without a key both stay as before (clear `value`,
 * NULL `sealed_value`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('encryption_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // 'data' seals values; 'index' keys the blind index.
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // Set once no row is sealed under it any more; it is then never chosen for sealing.
    .addColumn('retired_at', 'bigint')
    .execute();
  await db.schema.alterTable('identities').addColumn('sealed_value', 'text').execute();
}
