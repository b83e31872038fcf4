import type { Store } from '../store.js';

export interface EventRow {
  workspace_id: string;
  message_id: string;
  type: string;
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  previous_id: string | null;
  group_id: string | null;
  timestamp: number;
  received_at: number;
  sent_at: number | null;
  raw: string;
}

export interface RejectedRow {
  workspace_id: string;
  received_at: number;
  batch_index: number | null;
  details: string;
  raw: string;
}

const EVENT_COLUMNS = [
  'workspace_id',
  'message_id',
  'type',
  'event',
  'user_id',
  'anonymous_id',
  'previous_id',
  'group_id',
  'timestamp',
  'received_at',
  'sent_at',
  'raw',
] as const;
const REJECT_COLUMNS = ['workspace_id', 'received_at', 'batch_index', 'details', 'raw'] as const;

/** Rows per statement on SQLite: 100 x 12 = 1,200 bound values, well under its limit. */
const SQLITE_CHUNK = 100;

/**
 * Appends events (ignoring replayed messageIds) and rejected payloads in one
 * transaction; returns the `(workspace_id, message_id)` keys that were new, joined by
 * NUL (see `eventKey`). This is the ingest hot path, so it
 * bypasses the query builder: cached multi-row statements on SQLite, one `unnest`
 * statement per table on PostgreSQL.
 */
export async function appendEvents(
  store: Store,
  events: readonly EventRow[],
  rejected: readonly RejectedRow[] = [],
): Promise<Set<string>> {
  if (events.length === 0 && rejected.length === 0) return new Set();
  // This path bypasses the query layer, so it seals the raw payloads itself.
  const keyring = store.encryption;
  if (keyring) {
    events = events.map((e) => ({ ...e, raw: keyring.seal(e.raw) }));
    rejected = rejected.map((r) => ({ ...r, raw: keyring.seal(r.raw) }));
  }
  return store.kind === 'sqlite'
    ? appendSqlite(store, events, rejected)
    : appendPostgres(store, events, rejected);
}

type Statement = import('better-sqlite3').Statement;
const sqliteStatements = new WeakMap<object, Map<string, Statement>>();

function sqliteInsert(
  store: Store,
  table: string,
  columns: readonly string[],
  rows: number,
  conflict: string,
) {
  const sqlite = store.sqlite!;
  let cache = sqliteStatements.get(sqlite);
  if (!cache) sqliteStatements.set(sqlite, (cache = new Map<string, Statement>()));
  const key = `${table}:${rows}`;
  let stmt = cache.get(key);
  if (!stmt) {
    const tuple = `(${columns.map(() => '?').join(',')})`;
    stmt = sqlite.prepare(
      `INSERT INTO ${table} (${columns.join(',')}) VALUES ${Array(rows).fill(tuple).join(',')} ${conflict}`,
    );
    cache.set(key, stmt);
  }
  return stmt;
}

/** The identity of an event in the log. NUL cannot occur in either part. */
export function eventKey(workspaceId: string, messageId: string): string {
  return `${workspaceId}\u0000${messageId}`;
}

async function appendSqlite(
  store: Store,
  events: readonly EventRow[],
  rejected: readonly RejectedRow[],
): Promise<Set<string>> {
  // Run on Kysely's single connection so we never interleave with a transaction the
  // query builder has open on the same handle.
  return store.db.connection().execute(() => {
    const sqlite = store.sqlite!;
    const run = sqlite.transaction(() => {
      const inserted = new Set<string>();
      for (let start = 0; start < events.length; start += SQLITE_CHUNK) {
        const chunk = events.slice(start, start + SQLITE_CHUNK);
        const params: unknown[] = [];
        for (const row of chunk) for (const c of EVENT_COLUMNS) params.push(row[c]);
        const rows = sqliteInsert(
          store,
          'events',
          EVENT_COLUMNS,
          chunk.length,
          'ON CONFLICT (workspace_id, message_id) DO NOTHING RETURNING workspace_id, message_id',
        ).all(params) as { workspace_id: string; message_id: string }[];
        for (const r of rows) inserted.add(eventKey(r.workspace_id, r.message_id));
      }
      for (let start = 0; start < rejected.length; start += SQLITE_CHUNK) {
        const chunk = rejected.slice(start, start + SQLITE_CHUNK);
        const params: unknown[] = [];
        for (const row of chunk) for (const c of REJECT_COLUMNS) params.push(row[c]);
        sqliteInsert(store, 'rejected_events', REJECT_COLUMNS, chunk.length, '').run(params);
      }
      return inserted;
    });
    return Promise.resolve(run.immediate());
  });
}

/**
 * Multi-row VALUES rather than unnest arrays: pg escapes every element of an array
 * parameter into PostgreSQL's array syntax, which for raw JSON payloads cost more CPU
 * than the rest of ingestion. Statements are cached per row count.
 */
const PG_CHUNK = 500;
const pgEventsSql = new Map<number, string>();
function pgEventsInsert(rows: number): string {
  let text = pgEventsSql.get(rows);
  if (!text) {
    const n = EVENT_COLUMNS.length;
    const tuples = Array.from(
      { length: rows },
      (_, r) => `(${EVENT_COLUMNS.map((_c, i) => `$${r * n + i + 1}`).join(',')})`,
    );
    text = `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES ${tuples.join(',')}
ON CONFLICT (workspace_id, message_id) DO NOTHING RETURNING workspace_id, message_id`;
    pgEventsSql.set(rows, text);
  }
  return text;
}

const PG_REJECTS_SQL = `
INSERT INTO rejected_events (${REJECT_COLUMNS.join(', ')})
SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[], $5::text[])`;

function columnsOf<T extends object>(
  rows: readonly T[],
  columns: readonly (keyof T)[],
): unknown[][] {
  return columns.map((c) => rows.map((r) => r[c]));
}

async function appendPostgres(
  store: Store,
  events: readonly EventRow[],
  rejected: readonly RejectedRow[],
): Promise<Set<string>> {
  const client = await store.pgPool!.connect();
  try {
    await client.query('BEGIN');
    const inserted = new Set<string>();
    for (let start = 0; start < events.length; start += PG_CHUNK) {
      const chunk = events.slice(start, start + PG_CHUNK);
      const params: unknown[] = [];
      for (const row of chunk) for (const c of EVENT_COLUMNS) params.push(row[c]);
      const res = await client.query<{ workspace_id: string; message_id: string }>(
        pgEventsInsert(chunk.length),
        params,
      );
      for (const r of res.rows) inserted.add(eventKey(r.workspace_id, r.message_id));
    }
    if (rejected.length > 0) {
      await client.query(PG_REJECTS_SQL, columnsOf(rejected, REJECT_COLUMNS));
    }
    await client.query('COMMIT');
    return inserted;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
