import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Migrator, sql, type Migration } from 'kysely';
import { masterKeysFrom } from './encryption/master-keys.js';
import { withEncryption } from './encryption/install.js';
import { MIGRATIONS } from './migrations/index.js';
import { openPostgres } from './open-postgres.js';
import { openSqlite, SQLITE_FILE } from './open-sqlite.js';
import type { StoreOptions } from './open-store.js';
import type { Store } from './store.js';

/** What `rapport doctor` finds about the store, without changing it. */
export type StoreInspection =
  | { kind: 'missing'; location: string }
  | { kind: 'unreachable'; location: string; problem: string }
  | {
      kind: 'open';
      /** The store, with the encryption plugin when its keys open. Close it. */
      store: Store;
      /** Migrations not yet applied (`rapport start` applies them). */
      pending: string[];
      encryption: { state: 'encrypted' | 'clear' | 'error'; problem?: string };
    };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Opens the configured store to look at it: reachable, which migrations are pending,
 * whether the encryption key opens its data keys. Never migrates or creates anything
 * (a missing SQLite file is reported, not made).
 */
export async function inspectStore(options: StoreOptions): Promise<StoreInspection> {
  if (!options.databaseUrl) {
    const file = join(resolve(options.dataDir), SQLITE_FILE);
    if (!existsSync(file)) return { kind: 'missing', location: file };
  }
  const store = options.databaseUrl
    ? openPostgres(options.databaseUrl, 2)
    : openSqlite(options.dataDir);
  try {
    await sql`SELECT 1`.execute(store.db);
  } catch (error) {
    await store.close().catch(() => undefined);
    return { kind: 'unreachable', location: store.location, problem: message(error) };
  }
  const migrator = new Migrator({
    db: store.db,
    provider: {
      getMigrations: () =>
        Promise.resolve(
          Object.fromEntries(
            Object.keys(MIGRATIONS).map((name): [string, Migration] => [
              name,
              { up: () => Promise.reject(new Error('inspection never migrates')) },
            ]),
          ),
        ),
    },
  });
  const pending = (await migrator.getMigrations())
    .filter((m) => m.executedAt === undefined)
    .map((m) => m.name);
  if (pending.includes('0018-encryption'))
    return { kind: 'open', store, pending, encryption: { state: 'clear' } };
  try {
    const masters = masterKeysFrom(options);
    const opened = await withEncryption(store, masters, Date.now());
    return {
      kind: 'open',
      store: opened,
      pending,
      encryption: { state: opened.encryption ? 'encrypted' : 'clear' },
    };
  } catch (error) {
    return {
      kind: 'open',
      store,
      pending,
      encryption: { state: 'error', problem: message(error) },
    };
  }
}
