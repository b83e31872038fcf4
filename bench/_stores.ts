import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Store, StoreKind } from '../src/store/index.js';
import { migrate } from '../src/store/migrate.js';
import { openPostgres } from '../src/store/open-postgres.js';
import { openSqlite } from '../src/store/open-sqlite.js';

export interface BenchStore {
  kind: StoreKind;
  store: Store;
  /** Environment that points a `rapport` child process at the same data. */
  env: Record<string, string>;
  /** Another handle on the same data (after a child process wrote to it). */
  reopen(): Store;
  drop(): Promise<void>;
}

/** The PostgreSQL server benchmarks use; a throwaway database is created on it. */
export const BENCH_PG_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function parseStores(value: string | undefined): StoreKind[] {
  if (!value || value === 'both') return ['sqlite', 'postgres'];
  if (value === 'sqlite' || value === 'postgres') return [value];
  throw new Error(`--store must be sqlite, postgres or both, not "${value}"`);
}

/** A fresh, migrated store for one benchmark run, removed by drop(). */
export async function openBenchStore(kind: StoreKind): Promise<BenchStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-bench-'));
    const store = openSqlite(dir);
    await migrate(store);
    return {
      kind,
      store,
      env: { RAPPORT_DATA_DIR: dir },
      reopen: () => openSqlite(dir),
      drop: async () => {
        await store.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `rapport_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  const store = openPostgres(url.toString(), 8);
  await migrate(store);
  return {
    kind,
    store,
    env: { DATABASE_URL: url.toString() },
    reopen: () => openPostgres(url.toString(), 2),
    drop: async () => {
      await store.close().catch(() => undefined);
      const a = new pg.Client({ connectionString: BENCH_PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
