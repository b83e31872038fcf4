import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import { migrationContext } from './migration-context.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Store } from './store.js';

/**
 * Applies every pending migration. Kysely's migrator takes a lock first (an advisory
 * lock on PostgreSQL, the write lock on SQLite), so two processes starting at once
 * apply each migration exactly once.
 */
export async function migrate(store: Store): Promise<string[]> {
  const ctx = migrationContext(store.kind);
  const provider: MigrationProvider = {
    getMigrations: () =>
      Promise.resolve(
        Object.fromEntries(
          Object.entries(MIGRATIONS).map(([name, m]): [string, Migration] => [
            name,
            { up: (db) => m.up(db, ctx) },
          ]),
        ),
      ),
  };
  const migrator = new Migrator({ db: store.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
