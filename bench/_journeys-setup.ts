// Setup for the journeys benchmark: the journey, deterministic ids, real run states from
// the core, and bulk writes of profiles, identities and runs (the HTTP API would take
// hours for a million people; this writes the rows the profile stage and the journey
// stage would have written).
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { advance } from '../src/journeys/core/advance.js';
import { createRun, type RunState } from '../src/journeys/core/run-state.js';
import { durationMs } from '../src/journeys/core/duration.js';
import type { JourneyDefinition } from '../src/journeys/core/definition.js';
import { emptyFacts } from '../src/profiles/computed/facts-schema.js';
import type { Store } from '../src/store/index.js';
import { seededRandom } from '../src/shared/index.js';

export const WORKSPACE = 'default';

/**
 * The benchmark journey: a day after sign-up a welcome message, ten seconds later a
 * second one, then exit. Each run takes two timer wakes; each wake sends one message.
 * The first wait is long so enrolled people are realistically parked (they signed up
 * over the last day); the second is short so both wakes happen inside the measurement.
 */
export const BENCH_JOURNEY = {
  id: 'bench_welcome',
  name: 'Bench welcome',
  trigger: { type: 'event', event: 'Signed Up' },
  start: 'wait_1',
  steps: [
    { id: 'wait_1', type: 'wait', duration: 'P1D', next: 'send_1' },
    {
      id: 'send_1',
      type: 'send',
      channel: 'webhook',
      message: { templateId: 'welcome' },
      next: 'wait_2',
    },
    { id: 'wait_2', type: 'wait', duration: 'PT10S', next: 'send_2' },
    {
      id: 'send_2',
      type: 'send',
      channel: 'webhook',
      message: { templateId: 'tips' },
      next: 'done',
    },
    { id: 'done', type: 'exit' },
  ],
} as const;

export const FIRST_WAIT_MS = durationMs(BENCH_JOURNEY.steps[0].duration);
export const SECOND_WAIT_MS = durationMs(BENCH_JOURNEY.steps[2].duration);

/** Ids shaped like `newId` (prefix + 16 base64url characters) but reproducible. */
export function benchId(prefix: 'prf' | 'run' | 'job', i: number): string {
  const digest = createHash('sha256').update(`${prefix}:${i}`).digest('base64url');
  return `${prefix}_${digest.slice(0, 16)}`;
}

/**
 * Person `i`'s run as the journey stage would have stored it: created and started by the
 * core when they signed up at `wakeAt - FIRST_WAIT_MS`, so it is parked on `wait_1` with
 * its timer at `wakeAt`.
 */
export function parkedRun(def: JourneyDefinition, i: number, wakeAt: number): RunState {
  const enteredAt = wakeAt - FIRST_WAIT_MS;
  const runId = benchId('run', i);
  const profileId = benchId('prf', i);
  const run = createRun(def, {
    runId,
    profileId,
    key: null,
    trigger: {
      event: 'Signed Up',
      timestamp: enteredAt,
      messageId: `signup-${i}`,
      properties: { plan: 'free' },
      context: {},
    },
    now: enteredAt,
  });
  const started = advance(
    def,
    run,
    { kind: 'start' },
    {
      now: enteredAt,
      random: seededRandom(`${runId}:0`),
      profile: { id: profileId, traits: {}, computed: {} },
      evaluateCondition: () => false,
    },
  );
  if (started.run.status !== 'waiting' || started.run.wakeAt !== wakeAt)
    throw new Error(`run ${i} did not park on wait_1 at ${wakeAt}`);
  return started.run;
}

type ColumnType = 'text' | 'bigint' | 'integer';

/**
 * Writes `rows` in one transaction: multi-row INSERTs prepared once on SQLite, one
 * `unnest` of an array per column on PostgreSQL (a single round trip). `upsert` names
 * the columns a conflicting `id` updates.
 */
export async function bulkWrite(
  store: Store,
  table: string,
  columns: readonly (readonly [string, ColumnType])[],
  rows: readonly unknown[][],
  upsert: readonly string[] = [],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([c]) => c).join(', ');
  const conflict =
    upsert.length === 0
      ? ''
      : ` ON CONFLICT (id) DO UPDATE SET ${upsert.map((c) => `${c} = excluded.${c}`).join(', ')}`;
  if (store.kind === 'sqlite') {
    const db = store.sqlite!;
    // SQLite allows 32,766 parameters per statement.
    const per = Math.max(1, Math.floor(30_000 / columns.length));
    const tuple = `(${columns.map(() => '?').join(',')})`;
    const statement = (n: number) =>
      db.prepare(
        `INSERT INTO ${table} (${names}) VALUES ${Array.from({ length: n }, () => tuple).join(',')}${conflict}`,
      );
    // Through Kysely's connection, so a transaction the loops hold open is never joined.
    await store.db.connection().execute(async () => {
      const full = statement(Math.min(per, rows.length));
      db.transaction(() => {
        for (let i = 0; i < rows.length; i += per) {
          const chunk = rows.slice(i, i + per);
          (chunk.length === Math.min(per, rows.length) ? full : statement(chunk.length)).run(
            chunk.flat(),
          );
        }
      })();
    });
    return;
  }
  const arrays = columns.map((_, c) => rows.map((r) => r[c]));
  const unnest = columns.map(([, type], c) => `$${c + 1}::${type}[]`).join(', ');
  await store.pgPool!.query(
    `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest})${conflict}`,
    arrays,
  );
}

const RUN_COLUMNS = [
  ['id', 'text'],
  ['workspace_id', 'text'],
  ['journey_id', 'text'],
  ['version', 'integer'],
  ['profile_id', 'text'],
  ['key', 'text'],
  ['status', 'text'],
  ['step_id', 'text'],
  ['holdout', 'integer'],
  ['wake_at', 'bigint'],
  ['state', 'text'],
  ['entered_at', 'bigint'],
  ['updated_at', 'bigint'],
  ['ended_at', 'bigint'],
] as const;

/** A run as a `journey_runs` row (the same mapping as the journey stage's `toRow`). */
function runRow(run: RunState): unknown[] {
  return [
    run.runId,
    WORKSPACE,
    run.journeyId,
    run.journeyVersion,
    run.profileId,
    run.key,
    run.status,
    run.stepId,
    run.holdout ? 1 : 0,
    run.wakeAt,
    JSON.stringify(run),
    run.enteredAt,
    run.updatedAt,
    run.endedAt,
  ];
}

/**
 * Enrols people `0..n-1`: a profile with empty facts, a `user_id` identity and a run
 * parked on the first wait whose timer is `wakeOf(i)`. Chunks of 10,000 people, each
 * table in its own transaction per chunk.
 */
export async function enrol(
  store: Store,
  def: JourneyDefinition,
  n: number,
  wakeOf: (i: number) => number,
  progress: (done: number) => void,
): Promise<void> {
  const facts = JSON.stringify(emptyFacts());
  const CHUNK = 10_000;
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    const profiles: unknown[][] = [];
    const identities: unknown[][] = [];
    const runs: unknown[][] = [];
    for (let i = from; i < to; i++) {
      const profileId = benchId('prf', i);
      const run = parkedRun(def, i, wakeOf(i));
      profiles.push([profileId, WORKSPACE, null, facts, run.enteredAt, run.enteredAt]);
      identities.push([WORKSPACE, 'user_id', `user-${i}`, profileId, run.enteredAt]);
      runs.push(runRow(run));
    }
    await bulkWrite(
      store,
      'profiles',
      [
        ['id', 'text'],
        ['workspace_id', 'text'],
        ['merged_into', 'text'],
        ['facts', 'text'],
        ['created_at', 'bigint'],
        ['updated_at', 'bigint'],
      ],
      profiles,
    );
    await bulkWrite(
      store,
      'identities',
      [
        ['workspace_id', 'text'],
        ['kind', 'text'],
        ['value', 'text'],
        ['profile_id', 'text'],
        ['created_at', 'bigint'],
      ],
      identities,
    );
    await bulkWrite(store, 'journey_runs', RUN_COLUMNS, runs);
    progress(to);
  }
  if (store.kind === 'postgres') {
    // A bulk load leaves no planner statistics and no visibility map; in production
    // autovacuum would have seen these tables long ago.
    for (const t of ['profiles', 'identities', 'journey_runs'])
      await sql.raw(`VACUUM (ANALYZE) ${t}`).execute(store.db);
  }
}

/**
 * Moves people `from..to-1` to new timers `wakeOf(i)`: their runs are written again as
 * the core makes them for a sign-up at `wakeOf(i) - FIRST_WAIT_MS` (a real state, the
 * same row ids), so a cohort can be scheduled at a rate chosen after calibration.
 */
export async function reschedule(
  store: Store,
  def: JourneyDefinition,
  from: number,
  to: number,
  wakeOf: (i: number) => number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = from; start < to; start += 5_000) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(to, start + 5_000); i++) {
      const run = parkedRun(def, i, wakeOf(i));
      ids.push(run.runId);
      rows.push(runRow(run));
    }
    await bulkWrite(store, 'journey_runs', RUN_COLUMNS, rows, [
      'status',
      'step_id',
      'wake_at',
      'state',
      'entered_at',
      'updated_at',
      'ended_at',
    ]);
  }
  return ids;
}

export interface StoreSize {
  totalBytes: number;
  /** SQLite: the main file, the WAL and the shared-memory index. */
  files?: Record<string, number>;
  /** Each table with its indexes (and TOAST on PostgreSQL). */
  tables: Record<string, number>;
}

/**
 * The store's size on disk: the SQLite file + WAL + shm (tables from `dbstat`), or
 * `pg_database_size` (tables from `pg_total_relation_size`).
 */
export async function storeSize(store: Store, tables: readonly string[]): Promise<StoreSize> {
  const sizes: Record<string, number> = {};
  if (store.kind === 'sqlite') {
    const files: Record<string, number> = {};
    for (const suffix of ['', '-wal', '-shm']) {
      try {
        files[`db${suffix}`] = statSync(`${store.location}${suffix}`).size;
      } catch {
        files[`db${suffix}`] = 0;
      }
    }
    const rows = await sql<{ t: string; n: number }>`
      SELECT m.tbl_name AS t, SUM(s.pgsize) AS n
      FROM dbstat s JOIN sqlite_master m ON m.name = s.name GROUP BY m.tbl_name
    `.execute(store.db);
    for (const r of rows.rows) if (tables.includes(r.t)) sizes[r.t] = r.n;
    return { totalBytes: Object.values(files).reduce((a, b) => a + b, 0), files, tables: sizes };
  }
  const total = await sql<{
    n: number | string;
  }>`SELECT pg_database_size(current_database()) AS n`.execute(store.db);
  for (const t of tables) {
    const r = await sql<{
      n: number | string;
    }>`SELECT pg_total_relation_size(${t}::regclass) AS n`.execute(store.db);
    sizes[t] = Number(r.rows[0]!.n);
  }
  return { totalBytes: Number(total.rows[0]!.n), tables: sizes };
}
