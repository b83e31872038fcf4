import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './database.js';
import { withStatementCache } from './statement-cache.js';
import type { Store } from './store.js';

export const SQLITE_FILE = 'rapport.db';

/** Opens (creating if needed) the embedded store in `dataDir`. */
export function openSqlite(dataDir: string): Store {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, SQLITE_FILE);
  const sqlite = new BetterSqlite3(file);
  // WAL lets readers run beside the one writer; FULL makes each commit durable against
  // power loss, not just a process crash, which is what "acknowledged" promises. Group
  // commits in the ingest writer keep the fsync count low.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  // Deleted rows are overwritten with zeros instead of lingering in free pages, so an
  // erased person's bytes leave the file (docs/privacy.md); see `flushErased` for the WAL.
  sqlite.pragma('secure_delete = ON');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    kind: 'sqlite',
    db,
    location: file,
    address: { kind: 'sqlite', dataDir: dir },
    sqlite,
    close: async () => {
      await db.destroy();
    },
  };
}
