import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Database } from './database.js';
import type { Store } from './store.js';

/** What a process may cache and another process may change. */
export type ChangeTopic = 'key' | 'consent' | 'settings';

export interface Change {
  workspaceId: string;
  topic: ChangeTopic;
  /** The changed thing's id (a key id, a profile id); '' for the workspace as a whole. */
  subject: string;
}

/** A change to drop from a cache, or null: anything may have changed, drop everything. */
export type ChangeHandler = (change: Change | null) => void;

/**
 * Cross-process cache invalidation. A process that caches something (working keys,
 * people's consent) subscribes to its topic; whoever changes it records the change in
 * the changing transaction (`recordChanges`); `sync()` at the start of a request
 * dispatches every change committed before the request arrived, in any process, so a
 * revoked key or a "no" holds from the very next request everywhere.
 */
export interface ChangeFeed {
  subscribe(topic: ChangeTopic, handler: ChangeHandler): void;
  /** Resolves once every change committed before this call has been dispatched. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = 'rapport_changes';
/** NOTIFY payloads are capped at 8000 bytes; a larger set is announced as "everything". */
const MAX_PAYLOAD = 7_000;
/** Rows of the SQLite log outlive any process's gap between two syncs by far. */
const KEEP_MS = 10 * 60_000;
const PRUNE_EVERY_MS = 60_000;
const PING_TIMEOUT_MS = 5_000;

export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Announces changes from inside the changing transaction: other processes drop them
 * from their caches once it commits, and not before (a rolled-back change announces
 * nothing). SQLite: rows of `change_log`; PostgreSQL: NOTIFY, delivered in commit order.
 */
export async function recordChanges(
  db: Kysely<Database>,
  changes: readonly Change[],
  now: number,
): Promise<void> {
  if (changes.length === 0) return;
  if (isPostgres(db)) {
    const text = JSON.stringify(changes.map((c) => [c.workspaceId, c.topic, c.subject]));
    const payload = Buffer.byteLength(text) <= MAX_PAYLOAD ? text : '"*"';
    await sql`SELECT pg_notify(${CHANNEL}, ${payload})`.execute(db);
    return;
  }
  await db
    .insertInto('change_log')
    .values(
      changes.map((c) => ({
        workspace_id: c.workspaceId,
        topic: c.topic,
        subject: c.subject,
        created_at: now,
      })),
    )
    .execute();
}

/**
 * Removes logged changes naming `subjects` (an erased person's profile ids): the log must
 * not outlive what it names. Other processes read the gap as "anything may have
 * changed" and drop their caches whole. PostgreSQL's notifications are never stored.
 */
export async function forgetSubjects(
  db: Kysely<Database>,
  workspaceId: string,
  subjects: readonly string[],
): Promise<void> {
  if (subjects.length === 0 || isPostgres(db)) return;
  await db
    .deleteFrom('change_log')
    .where('workspace_id', '=', workspaceId)
    .where('subject', 'in', [...subjects])
    .execute();
}

/** Subscribers by topic; `null` reaches all of them. */
class Subscribers {
  private readonly byTopic = new Map<ChangeTopic, ChangeHandler[]>();

  add(topic: ChangeTopic, handler: ChangeHandler): void {
    const list = this.byTopic.get(topic) ?? [];
    list.push(handler);
    this.byTopic.set(topic, list);
  }

  dispatch(change: Change | null): void {
    if (change === null) {
      for (const list of this.byTopic.values()) for (const h of list) h(null);
      return;
    }
    for (const h of this.byTopic.get(change.topic) ?? []) h(change);
  }
}

interface LogRow {
  seq: number;
  workspace_id: string;
  topic: string;
  subject: string;
}

/**
 * SQLite: one writer commits in `seq` order, so reading the rows after the last one
 * seen is complete. A sync is one indexed read on the store's own connection (a few
 * microseconds when nothing changed). A gap in `seq` means rows were pruned before
 * this process read them (it slept for minutes): everything is dropped.
 */
class SqliteChangeFeed implements ChangeFeed {
  private readonly subs = new Subscribers();
  private readonly after: BetterSqlite3.Statement<[number], LogRow>;
  private readonly prune: BetterSqlite3.Statement<[number]>;
  private last: number;
  private prunedAt = 0;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly now: () => number,
  ) {
    this.after = sqlite.prepare(
      'SELECT seq, workspace_id, topic, subject FROM change_log WHERE seq > ? ORDER BY seq LIMIT 1000',
    );
    this.prune = sqlite.prepare('DELETE FROM change_log WHERE created_at < ?');
    // The last number ever given (AUTOINCREMENT keeps it even when every row was pruned).
    const top = sqlite
      .prepare("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'")
      .get() as { seq: number } | undefined;
    this.last = top?.seq ?? 0;
  }

  subscribe(topic: ChangeTopic, handler: ChangeHandler): void {
    this.subs.add(topic, handler);
  }

  sync(): Promise<void> {
    for (;;) {
      const rows = this.after.all(this.last);
      if (rows.length === 0) break;
      if (rows[0]!.seq !== this.last + 1) this.subs.dispatch(null);
      for (const r of rows) {
        this.subs.dispatch({
          workspaceId: r.workspace_id,
          topic: r.topic as ChangeTopic,
          subject: r.subject,
        });
      }
      this.last = rows[rows.length - 1]!.seq;
      if (rows.length < 1000) break;
    }
    const now = this.now();
    if (now - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = now;
      this.prune.run(now - KEEP_MS);
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * PostgreSQL: a dedicated connection LISTENs. Notifications arrive in commit order,
 * so a sync sends a ping on this process's own channel through the same queue and
 * waits for it: every change committed before the ping was sent has arrived before it.
 * Requests arriving while a ping is out share the next one (one round trip serves a
 * burst). While the connection is down nothing can be known: every sync drops
 * everything, so caches fall back to reading the store.
 */
class PostgresChangeFeed implements ChangeFeed {
  private readonly subs = new Subscribers();
  private readonly own = `rapport_ping_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly waiting = new Map<string, { arrived: () => void; lost: () => void }>();
  private n = 0;
  private inflight: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly config: pg.ClientConfig) {}

  subscribe(topic: ChangeTopic, handler: ChangeHandler): void {
    this.subs.add(topic, handler);
  }

  sync(): Promise<void> {
    // A ping already out may have been sent before the change this request must see.
    if (this.queued) return this.queued;
    if (!this.inflight) return (this.inflight = this.ping());
    const queued = this.inflight.then(() => {
      this.queued = null;
      return (this.inflight = this.ping());
    });
    return (this.queued = queued);
  }

  private async ping(): Promise<void> {
    try {
      const client = await this.connected();
      const token = String(this.n++);
      const arrived = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiting.delete(token);
          reject(new Error('change feed ping timed out'));
        }, PING_TIMEOUT_MS);
        this.waiting.set(token, {
          arrived: () => {
            clearTimeout(timer);
            resolve();
          },
          lost: () => {
            clearTimeout(timer);
            reject(new Error('change feed connection lost'));
          },
        });
      });
      await client.query('SELECT pg_notify($1, $2)', [this.own, token]);
      await arrived;
    } catch {
      this.drop();
    } finally {
      this.inflight = null;
    }
  }

  private connected(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting.then(() => {
      if (!this.client) throw new Error('change feed not connected');
      return this.client;
    });
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.config);
    client.on('error', () => this.drop());
    client.on('end', () => this.drop());
    client.on('notification', (m) => this.received(m.channel, m.payload ?? ''));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    await client.query(`LISTEN ${this.own}`);
    // Changes made while no one listened are unknown: start from a clean slate.
    this.subs.dispatch(null);
    this.client = client;
  }

  private received(channel: string, payload: string): void {
    if (channel === this.own) {
      this.waiting.get(payload)?.arrived();
      this.waiting.delete(payload);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      parsed = '*';
    }
    if (!Array.isArray(parsed)) {
      this.subs.dispatch(null);
      return;
    }
    for (const c of parsed) {
      if (!Array.isArray(c) || c.length !== 3) continue;
      const [workspaceId, topic, subject] = c as [string, ChangeTopic, string];
      this.subs.dispatch({ workspaceId, topic, subject });
    }
  }

  /** The connection is gone: drop every cache and reconnect at the next sync. */
  private drop(): void {
    this.subs.dispatch(null);
    const lost = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of lost) w.lost();
    const client = this.client;
    this.client = null;
    if (client) void client.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}

/**
 * The store's change feed: a LISTEN connection on PostgreSQL, the log table on SQLite.
 * Opened at the first sync (a process's first request), not at construction: building
 * an app touches no store, and a process that serves nothing never listens.
 */
export function openChangeFeed(store: Store, now: () => number): ChangeFeed {
  const subs: [ChangeTopic, ChangeHandler][] = [];
  let feed: ChangeFeed | null = null;
  const open = (): ChangeFeed => {
    if (feed) return feed;
    if (store.kind === 'postgres') {
      if (store.address.kind !== 'postgres') throw new Error('a PostgreSQL store without a URL');
      feed = new PostgresChangeFeed({ connectionString: store.address.url });
    } else {
      if (!store.sqlite) throw new Error('an SQLite store without its handle');
      feed = new SqliteChangeFeed(store.sqlite, now);
    }
    for (const [topic, handler] of subs) feed.subscribe(topic, handler);
    return feed;
  };
  return {
    subscribe: (topic, handler) => {
      subs.push([topic, handler]);
      feed?.subscribe(topic, handler);
    },
    sync: () => open().sync(),
    close: () => feed?.close() ?? Promise.resolve(),
  };
}
