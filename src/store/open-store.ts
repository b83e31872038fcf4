import { masterKeysFrom } from './encryption/master-keys.js';
import { withEncryption } from './encryption/install.js';
import { migrate } from './migrate.js';
import { openPostgres } from './open-postgres.js';
import { openSqlite } from './open-sqlite.js';
import type { Store, StoreAddress } from './store.js';

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  dbPoolSize?: number | undefined;
  /** RAPPORT_ENCRYPTION_KEY; absent: personal data is stored in clear. */
  encryptionKey?: string | undefined;
  /** Master keys of a rotation in progress, comma-separated: they still open data keys. */
  encryptionKeyPrevious?: string | undefined;
  /** When the first data key is made (the caller's clock); now by default. */
  now?: number | undefined;
}

/** Opens the configured store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const masterKeys = masterKeysFrom(options);
  const store = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.dbPoolSize)
    : openSqlite(options.dataDir);
  try {
    await migrate(store);
    return await withEncryption(store, masterKeys, options.now ?? Date.now());
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * Opens another handle on an open store's data, without migrating: for a worker thread
 * that reads beside the process's own connections (on SQLite, WAL lets it read while the
 * main thread writes).
 */
export async function openStoreAt(address: StoreAddress, poolSize = 2): Promise<Store> {
  const store =
    address.kind === 'postgres' ? openPostgres(address.url, poolSize) : openSqlite(address.dataDir);
  const keys = address.masterKeys;
  if (!keys) return store;
  // Keys crossing to a worker thread arrive as plain byte arrays.
  const masters = {
    current: Buffer.from(keys.current),
    previous: keys.previous.map((k) => Buffer.from(k)),
  };
  try {
    return await withEncryption(store, masters, Date.now());
  } catch (error) {
    await store.close();
    throw error;
  }
}
