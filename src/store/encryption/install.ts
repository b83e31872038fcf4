import type { Kysely } from 'kysely';
import { ConfigError } from '../../shared/index.js';
import type { Database } from '../database.js';
import type { Store } from '../store.js';
import { Keyring, type KeyRow, type KeyTable, type MasterKeys } from './keyring.js';
import { EncryptionPlugin } from './plugin.js';

/**
 * The key table through the store's raw handles: on SQLite the one connection, sync, so
 * a key can be read while a transaction holds Kysely's connection; on PostgreSQL the
 * pool, so a key a process creates is committed before anything is sealed under it.
 */
function keyTable(store: Store): KeyTable {
  const columns = 'id, purpose, wrapped, created_at, retired_at';
  if (store.kind === 'sqlite') {
    const sqlite = store.sqlite!;
    return {
      all: () =>
        Promise.resolve(
          sqlite
            .prepare(`SELECT ${columns} FROM encryption_keys ORDER BY created_at, id`)
            .all() as KeyRow[],
        ),
      one: (id) =>
        Promise.resolve(
          sqlite.prepare(`SELECT ${columns} FROM encryption_keys WHERE id = ?`).get(id) as
            KeyRow | undefined,
        ),
      insert: (r) => {
        sqlite
          .prepare(
            `INSERT INTO encryption_keys (${columns}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
          )
          .run(r.id, r.purpose, r.wrapped, r.created_at, r.retired_at);
        return Promise.resolve();
      },
      rewrap: (id, wrapped) => {
        sqlite.prepare('UPDATE encryption_keys SET wrapped = ? WHERE id = ?').run(wrapped, id);
        return Promise.resolve();
      },
    };
  }
  const pool = store.pgPool!;
  return {
    all: async () =>
      (await pool.query<KeyRow>(`SELECT ${columns} FROM encryption_keys ORDER BY created_at, id`))
        .rows,
    one: async (id) =>
      (await pool.query<KeyRow>(`SELECT ${columns} FROM encryption_keys WHERE id = $1`, [id]))
        .rows[0],
    insert: async (r) => {
      await pool.query(
        `INSERT INTO encryption_keys (${columns}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [r.id, r.purpose, r.wrapped, r.created_at, r.retired_at],
      );
    },
    rewrap: async (id, wrapped) => {
      await pool.query('UPDATE encryption_keys SET wrapped = $1 WHERE id = $2', [wrapped, id]);
    },
  };
}

/**
 * Turns encryption on for an open, migrated store: opens (or creates) its keys and
 * returns the store whose query layer seals and opens the configured columns. Without
 * master keys, refuses a database that holds sealed data rather than serve ciphertext.
 */
export async function withEncryption(
  store: Store,
  masters: MasterKeys | undefined,
  now: number,
): Promise<Store> {
  const table = keyTable(store);
  if (!masters) {
    if ((await table.all()).length > 0)
      throw new ConfigError(
        'This database holds encrypted personal data, but RAPPORT_ENCRYPTION_KEY is not set. Set it to the master key the data was encrypted with.',
        [{ path: 'encryptionKey', problem: 'required: the database holds encrypted data' }],
      );
    return store;
  }
  const keyring = await Keyring.open(masters, table, now);
  return {
    ...store,
    db: store.db.withPlugin(new EncryptionPlugin(keyring)),
    encryption: keyring,
    address: { ...store.address, masterKeys: masters },
  };
}

/** The keyring behind a query layer or transaction, or null when data is stored in clear. */
export function encryptionOf(db: Kysely<Database>): Keyring | null {
  for (const p of db.getExecutor().plugins) if (p instanceof EncryptionPlugin) return p.keyring;
  return null;
}
