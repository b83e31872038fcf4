import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/index.js';
import { createProgress, type Progress } from '../importer/index.js';
import { ValidationError } from '../shared/index.js';
import {
  copyStore,
  openPostgres,
  openSqlite,
  SQLITE_FILE,
  type CopyReport,
  type Store,
} from '../store/index.js';
import { printTable } from './output.js';

interface MigrateFlags {
  to?: string;
  data?: string;
  batch?: string;
  json?: boolean;
}

/** Where a postgres URL points, without its password, for messages. */
function described(url: URL): string {
  return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

function targetUrl(to: string | undefined): URL {
  if (!to) {
    throw new ValidationError(
      '--to is required: the PostgreSQL database to copy into, e.g. --to postgres://rapport@db:5432/rapport.',
      [{ path: '--to', problem: 'missing' }],
    );
  }
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new ValidationError(
      `--to "${to}" is not a URL; expected postgres://user@host:port/database.`,
      [{ path: '--to', problem: 'not a URL' }],
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ValidationError(`--to must be a postgres:// URL, not ${url.protocol}//.`, [
      { path: '--to', problem: 'not a postgres:// URL' },
    ]);
  }
  return url;
}

/**
 * `rapport migrate --to postgres://…`: copies the SQLite deployment in --data into an
 * empty PostgreSQL database (see docs/operations.md). Stop Rapport first: events that
 * arrive during the copy would stay behind.
 */
export async function runMigrate(flags: MigrateFlags): Promise<void> {
  const url = targetUrl(flags.to);
  const batchRows = flags.batch === undefined ? 1000 : Number(flags.batch);
  if (!Number.isInteger(batchRows) || batchRows < 1 || batchRows > 10_000) {
    throw new ValidationError('--batch must be a whole number of rows from 1 to 10000.', [
      { path: '--batch', problem: 'must be 1-10000' },
    ]);
  }
  const dataDir = resolve(loadConfig({ dataDir: flags.data }).dataDir);
  if (!existsSync(join(dataDir, SQLITE_FILE))) {
    throw new ValidationError(
      `No SQLite deployment in ${dataDir} (no ${SQLITE_FILE}): pass --data with the folder \`rapport start\` used.`,
      [{ path: '--data', problem: `no ${SQLITE_FILE}` }],
    );
  }
  const target = openPostgres(url.href, 2);
  let source: Store | null = null;
  try {
    try {
      await target.pgPool!.query('SELECT 1');
    } catch (error) {
      throw new Error(
        `Cannot reach PostgreSQL at ${described(url)}: ${(error as Error).message}. Is it running, and does the database exist?`,
        { cause: error },
      );
    }
    source = openSqlite(dataDir);
    let bar: Progress | null = null;
    const report = await copyStore(source, target, {
      batchRows,
      onProgress: (p) => {
        bar ??= createProgress('migrate', p.allTotal, { unit: ' rows' });
        bar.update(p.allCopied, { table: p.table });
      },
    });
    (bar as Progress | null)?.stop();
    print(report, url, flags.json === true);
  } finally {
    await source?.close();
    await target.close();
  }
}

function print(report: CopyReport, url: URL, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  printTable([
    ['table', 'sqlite', 'postgres'],
    ...report.tables.map((t) => [t.table, String(t.source), String(t.target)]),
  ]);
  process.stdout.write(
    `Copied ${report.rows.toLocaleString('en')} rows in ${report.tables.length} tables to ${described(url)}; every count matches.\n` +
      'Start Rapport with DATABASE_URL set to it (same RAPPORT_ENCRYPTION_KEY, if any).\n',
  );
}
