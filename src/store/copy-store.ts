import type pg from 'pg';
import { ConflictError, ValidationError } from '../shared/index.js';
import { columnsOf, quoteIdent, rowCount, storedTables } from './catalog.js';
import { migrate } from './migrate.js';
import type { Store } from './store.js';

export interface CopyProgress {
  table: string;
  /** Rows of this table copied so far, and its total. */
  copied: number;
  total: number;
  /** Rows of every table copied so far, and the grand total. */
  allCopied: number;
  allTotal: number;
}

export interface TableCopy {
  table: string;
  source: number;
  target: number;
}

export interface CopyReport {
  tables: TableCopy[];
  rows: number;
}

/** PostgreSQL takes at most 65,535 parameters a statement. */
const MAX_PARAMS = 60_000;

/**
 * Copies a SQLite store into an empty PostgreSQL one: every table the source's catalog
 * lists, row by row as stored (sealed values stay sealed, under the same keys, since the
 * handles are opened without the encryption layer), then sets the identity sequences past
 * the copied ids. The source is read in one read transaction (a consistent snapshot) and
 * the target written in one transaction, so a failure leaves it as empty as it was. The
 * target's counts are checked per table before the commit; a mismatch rolls back.
 */
export async function copyStore(
  source: Store,
  target: Store,
  options: { batchRows?: number; onProgress?: (p: CopyProgress) => void } = {},
): Promise<CopyReport> {
  if (source.kind !== 'sqlite' || !source.sqlite) {
    throw new ValidationError('The source of a migration must be a SQLite store.', [
      { path: '--data', problem: 'not a SQLite store' },
    ]);
  }
  if (target.kind !== 'postgres' || !target.pgPool) {
    throw new ValidationError('The target of a migration must be PostgreSQL.', [
      { path: '--to', problem: 'not a postgres:// URL' },
    ]);
  }
  await assertEmpty(target);
  await migrate(source);
  await migrate(target);
  const targetTables = new Set(await storedTables(target));
  const tables = await storedTables(source);
  const missing = tables.filter((t) => !targetTables.has(t));
  if (missing.length > 0) {
    throw new ValidationError(
      `The target's schema lacks ${missing.join(', ')}: is it a newer or older Rapport?`,
      missing.map((t) => ({ path: t, problem: 'missing in the target' })),
    );
  }
  const sqlite = source.sqlite;
  const client = await target.pgPool.connect();
  sqlite.exec('BEGIN');
  try {
    const totals = new Map<string, number>();
    for (const t of tables) totals.set(t, await rowCount(source, t));
    const allTotal = [...totals.values()].reduce((s, n) => s + n, 0);
    let allCopied = 0;
    await client.query('BEGIN');
    const report: TableCopy[] = [];
    for (const table of tables) {
      const total = totals.get(table)!;
      await copyTable(source, target, client, table, options.batchRows, (batch, copied) => {
        allCopied += batch;
        options.onProgress?.({ table, copied, total, allCopied, allTotal });
      });
      const counted = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${quoteIdent(table)}`,
      );
      report.push({ table, source: total, target: Number(counted.rows[0]?.n ?? -1) });
    }
    const wrong = report.filter((r) => r.source !== r.target);
    if (wrong.length > 0) {
      throw new ConflictError(
        `Counts differ after the copy, nothing was kept: ${wrong
          .map((w) => `${w.table} ${w.source} in SQLite, ${w.target} in PostgreSQL`)
          .join('; ')}.`,
      );
    }
    await client.query('COMMIT');
    return { tables: report, rows: allTotal };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
    sqlite.exec('COMMIT');
  }
}

/** Copies one table in batches ordered by rowid; returns how many rows it wrote. */
async function copyTable(
  source: Store,
  target: Store,
  client: pg.PoolClient,
  table: string,
  batchRows: number | undefined,
  onBatch: (batchRows: number, copiedSoFar: number) => void,
): Promise<number> {
  const { columns } = await columnsOf(source, table);
  const { identity } = await columnsOf(target, table);
  const perBatch = Math.max(
    1,
    Math.min(batchRows ?? 1000, Math.floor(MAX_PARAMS / columns.length)),
  );
  const read = source.sqlite!.prepare(
    `SELECT rowid AS "__rowid", ${columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(table)}
     WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  );
  const head = `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')})${
    identity.length > 0 ? ' OVERRIDING SYSTEM VALUE' : ''
  } VALUES `;
  let after = -Infinity;
  let copied = 0;
  for (;;) {
    const rows = read.all(
      after === -Infinity ? Number.MIN_SAFE_INTEGER : after,
      perBatch,
    ) as Record<string, unknown>[];
    if (rows.length === 0) break;
    const params: unknown[] = [];
    const tuples = rows.map((row) => {
      const marks = columns.map((c) => {
        params.push(row[c] ?? null);
        return `$${params.length}`;
      });
      return `(${marks.join(', ')})`;
    });
    await client.query(head + tuples.join(', '), params);
    after = Number(rows[rows.length - 1]!.__rowid);
    copied += rows.length;
    onBatch(rows.length, copied);
  }
  for (const column of identity) {
    // The next generated id must follow the copied ones, or the first insert collides.
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${quoteIdent(
        column,
      )}) FROM ${quoteIdent(table)}), 0) + 1, false)`,
      [quoteIdent(table), column],
    );
  }
  return copied;
}

/**
 * A target holding any row (a Rapport database already in use, or anything else) is
 * refused: merging two deployments is not a copy.
 */
async function assertEmpty(target: Store): Promise<void> {
  const busy: string[] = [];
  for (const table of await storedTables(target)) {
    if ((await rowCount(target, table)) > 0) busy.push(table);
  }
  if (busy.length > 0) {
    throw new ConflictError(
      `The target database is not empty (rows in ${busy.slice(0, 5).join(', ')}${
        busy.length > 5 ? ` and ${busy.length - 5} more tables` : ''
      }): migrate into a new, empty database or schema.`,
    );
  }
}
