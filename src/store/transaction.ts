import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import type { Store } from './store.js';

export type Tx = Kysely<Database>;

/** Handles that are inside a transaction `withTransaction` began. */
const open = new WeakSet<Kysely<Database>>();

/**
 * The store as seen from inside a transaction: its `db` is the transaction's handle, and
 * `withTransaction` on it joins that transaction instead of beginning another. So a
 * caller can wrap a domain function that begins its own transaction in a larger one
 * (the audit log records an admin action in the action's transaction).
 */
export function storeInTransaction(store: Store, tx: Tx): Store {
  if (!open.has(tx)) throw new Error('storeInTransaction needs a handle from withTransaction');
  return Object.create(store, { db: { value: tx, enumerable: true } }) as Store;
}

/**
 * Runs `fn` atomically on `db`: in a new transaction, or in the one `db` is already in.
 * For domain functions that take a `db` which may be a transaction's handle.
 */
export async function atomically<T>(db: Kysely<Database>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction || open.has(db)) return fn(db);
  return db.transaction().execute(fn);
}

/**
 * Runs `fn` in one write transaction. On SQLite it begins IMMEDIATE, taking the write
 * lock up front: a deferred transaction that reads and then writes can fail with
 * SQLITE_BUSY when another process wrote in between, and busy_timeout cannot help it.
 */
export async function withTransaction<T>(store: Store, fn: (tx: Tx) => Promise<T>): Promise<T> {
  // Inside a transaction already (a store from `storeInTransaction`): join it.
  if (open.has(store.db)) return fn(store.db);
  if (store.kind === 'postgres') {
    return store.db.transaction().execute(async (tx) => {
      open.add(tx);
      try {
        return await fn(tx);
      } finally {
        open.delete(tx);
      }
    });
  }
  return store.db.connection().execute((conn) => sqliteTransaction(conn, fn));
}

async function sqliteTransaction<T>(conn: Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  open.add(conn);
  await sql`BEGIN IMMEDIATE`.execute(conn);
  try {
    const result = await fn(conn);
    await sql`COMMIT`.execute(conn);
    return result;
  } catch (error) {
    await sql`ROLLBACK`.execute(conn).catch(() => undefined);
    throw error;
  } finally {
    open.delete(conn);
  }
}

/**
 * A transaction whose COMMIT does not wait for the disk: for appends that are many,
 * small and frequent (the decision log), where an fsync per commit would cap the rate.
 * It survives a crash of the process (the commit is in the write-ahead log) and becomes
 * durable with the next durable commit of anything, since the log is one file written
 * and flushed in order: an event committed after it (a click, an order) cannot outlive
 * it, even on power loss. PostgreSQL: `synchronous_commit = off` for this transaction
 * only; SQLite: `synchronous = NORMAL` on the connection for this commit only.
 */
export async function withLazyCommitTransaction<T>(
  store: Store,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  if (open.has(store.db)) return fn(store.db);
  if (store.kind === 'postgres')
    return withTransaction(store, async (tx) => {
      await sql`SET LOCAL synchronous_commit = off`.execute(tx);
      return fn(tx);
    });
  return store.db.connection().execute(async (conn) => {
    await sql`PRAGMA synchronous = NORMAL`.execute(conn);
    try {
      return await sqliteTransaction(conn, fn);
    } finally {
      await sql`PRAGMA synchronous = FULL`.execute(conn);
    }
  });
}

/**
 * Whether a failed transaction may simply be retried: a unique-key race between two
 * workers, a deadlock or a serialization failure (PostgreSQL), or a busy database (SQLite).
 */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === '23505' ||
    code === '40P01' ||
    code === '40001' ||
    code === 'SQLITE_BUSY' ||
    code === 'SQLITE_BUSY_SNAPSHOT'
  );
}

/** `withTransaction` with a few retries on races that a second attempt resolves. */
export async function withRetriedTransaction<T>(
  store: Store,
  fn: (tx: Tx) => Promise<T>,
  attempts = 5,
): Promise<T> {
  if (open.has(store.db)) return fn(store.db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(store, fn);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}

/** `FOR UPDATE SKIP LOCKED` where the store has it; SQLite's single writer needs none. */
export function skipLocked(store: Store): ReturnType<typeof sql> {
  return store.kind === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
}

// PostgreSQL SQLSTATE classes that mean the server, not the statement, is the problem:
// 08 connection exception, 53 insufficient resources, 57 operator intervention, 58
// system error, XX internal error.
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58', 'XX']);
const UNAVAILABLE_SQLITE =
  /^SQLITE_(IOERR|FULL|CANTOPEN|CORRUPT|NOTADB|READONLY|NOMEM|PROTOCOL|BUSY)/;
const UNAVAILABLE_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/**
 * Whether an error says the store cannot serve anyone right now (connection lost, disk
 * full, server shutting down), as opposed to a statement this data made fail. Work that
 * fails this way waits and retries; it is never blamed on the event at hand.
 */
export function isStoreUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (UNAVAILABLE_NODE.has(code) || UNAVAILABLE_SQLITE.test(code)) return true;
  if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.has(code.slice(0, 2))) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection is closed|database connection is not open/i.test(
    message,
  );
}
