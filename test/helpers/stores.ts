import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Store, StoreKind } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';
import { openPostgres } from '../../src/store/open-postgres.js';
import { openSqlite } from '../../src/store/open-sqlite.js';
import { assertTestDatabase, withDatabase } from './database-guard.js';

/** SQLite always; PostgreSQL whenever TEST_DATABASE_URL is set (CI always sets it). */
export const STORE_KINDS: StoreKind[] = process.env.TEST_DATABASE_URL
  ? ['sqlite', 'postgres']
  : ['sqlite'];

export interface TestStore {
  store: Store;
  /** The SQLite data folder or the PostgreSQL URL, for child processes. */
  dataDir?: string;
  databaseUrl?: string;
  cleanup(): Promise<void>;
}

/** A fresh, migrated store of the given kind. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'rapport-test-'));
    const store = openSqlite(dataDir);
    await migrate(store);
    return {
      store,
      dataDir,
      cleanup: async () => {
        await closeQuietly(store);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL!;
  assertTestDatabase(url);
  const template = inject('pgTemplate');
  const prefix = inject('pgPrefix');
  if (!template || !prefix) throw new Error('global setup did not prepare a PostgreSQL template');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const databaseUrl = withDatabase(url, name);
  assertTestDatabase(databaseUrl);
  const store = openPostgres(databaseUrl, 5);
  return {
    store,
    databaseUrl,
    cleanup: async () => {
      await closeQuietly(store);
      await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A second handle on a test store's data, e.g. after a child process used it. */
export function reopenStore(t: TestStore): Store {
  return t.databaseUrl ? openPostgres(t.databaseUrl, 2) : openSqlite(t.dataDir!);
}

async function closeQuietly(store: Store): Promise<void> {
  try {
    await store.close();
  } catch {
    // already closed by the test
  }
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Two workers copying the template at the same instant can collide; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(text);
        return;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
  } finally {
    await client.end();
  }
}
