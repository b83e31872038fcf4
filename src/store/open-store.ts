import { migrate } from './migrate.js';
import { openPostgres } from './open-postgres.js';
import { openSqlite } from './open-sqlite.js';
import type { Store, StoreAddress } from './store.js';

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  dbPoolSize?: number | undefined;
}

/** Opens the configured store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.dbPoolSize)
    : openSqlite(options.dataDir);
  try {
    await migrate(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * Opens another handle on an open store's data, without migrating: for a worker thread
 * that reads beside the process's own connections (on SQLite, WAL lets it read while the
 * main thread writes).
 */
export function openStoreAt(address: StoreAddress, poolSize = 2): Store {
  return address.kind === 'postgres'
    ? openPostgres(address.url, poolSize)
    : openSqlite(address.dataDir);
}
