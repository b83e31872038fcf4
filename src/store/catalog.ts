import { sql } from 'kysely';
import type { Store } from './store.js';

/** Kysely's own bookkeeping: the target's migrator writes its own. */
const BOOKKEEPING = /^(kysely_|sqlite_)/;

/** The application tables a store holds now, by name, from its own catalog. */
export async function storedTables(store: Store): Promise<string[]> {
  const rows =
    store.kind === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(store.db)
        ).rows
      : (
          await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            ORDER BY table_name`.execute(store.db)
        ).rows;
  return rows.map((r) => r.name).filter((n) => !BOOKKEEPING.test(n));
}

export interface TableColumns {
  columns: string[];
  /** PostgreSQL identity columns (`GENERATED ALWAYS`), whose sequences follow the copy. */
  identity: string[];
}

/** A table's columns in declaration order. */
export async function columnsOf(store: Store, table: string): Promise<TableColumns> {
  if (store.kind === 'sqlite') {
    const rows = store.sqlite!.prepare(`PRAGMA table_info(${quoteIdent(table)})`).all() as {
      name: string;
    }[];
    return { columns: rows.map((r) => r.name), identity: [] };
  }
  const { rows } = await sql<{ name: string; identity: string }>`
    SELECT column_name AS name, is_identity AS identity FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ${table}
    ORDER BY ordinal_position`.execute(store.db);
  return {
    columns: rows.map((r) => r.name),
    identity: rows.filter((r) => r.identity === 'YES').map((r) => r.name),
  };
}

export async function rowCount(store: Store, table: string): Promise<number> {
  const { rows } = await sql<{
    n: number | string;
  }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
}

/** A double-quoted SQL identifier (both stores). */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
