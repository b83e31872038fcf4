import { existsSync, readFileSync } from 'node:fs';
import type { Store } from '../../src/store/index.js';

/**
 * Every text cell of every table, read past the query layer (no decryption), with the
 * table and column it came from; on SQLite also the database file and its WAL.
 */
export async function rawText(store: Store): Promise<{ where: string; text: string }[]> {
  const out: { where: string; text: string }[] = [];
  const push = (table: string, row: Record<string, unknown>) => {
    for (const [column, v] of Object.entries(row))
      if (typeof v === 'string') out.push({ where: `${table}.${column}`, text: v });
  };
  if (store.kind === 'sqlite') {
    const sqlite = store.sqlite!;
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    for (const { name } of tables)
      for (const row of sqlite.prepare(`SELECT * FROM "${name}"`).all() as Record<
        string,
        unknown
      >[])
        push(name, row);
    const file = store.location;
    for (const f of [file, `${file}-wal`])
      if (existsSync(f)) out.push({ where: f, text: readFileSync(f).toString('latin1') });
    return out;
  }
  const pool = store.pgPool!;
  const tables = await pool.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
  );
  for (const { tablename } of tables.rows)
    for (const row of (await pool.query(`SELECT * FROM "${tablename}"`)).rows as Record<
      string,
      unknown
    >[])
      push(tablename, row);
  return out;
}

/** Where any of the needles occurs (case-insensitive), as `where: needle`. */
export async function findClear(store: Store, needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const { where, text } of await rawText(store)) {
    const lower = text.toLowerCase();
    for (const n of needles) if (lower.includes(n.toLowerCase())) found.push(`${where}: ${n}`);
  }
  return found;
}
