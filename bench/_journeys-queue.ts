// The reference of the journeys benchmark: a no-op job queue in the same store. A table
// of jobs with `run_at` and the same partial index as `journey_runs_due`; a worker claims
// the due jobs in batches the way `runDueTimers` claims runs (the same transaction
// helper: BEGIN IMMEDIATE on SQLite, FOR UPDATE SKIP LOCKED on PostgreSQL), marks them
// done and does nothing else. Its jobs/s is the ceiling a timer wheel in this store can
// reach; the journey stage's steps/s is reported as a fraction of it.
import { sql } from 'kysely';
import { skipLocked, withRetriedTransaction, type Store } from '../src/store/index.js';
import { benchId, bulkWrite } from './_journeys-setup.js';

/** Creates `bench_jobs` with `n` jobs, all due (their `run_at` spread over the past hour). */
export async function createJobs(store: Store, n: number, now: number): Promise<void> {
  await sql
    .raw('CREATE TABLE bench_jobs (id text PRIMARY KEY, run_at bigint, done_at bigint)')
    .execute(store.db);
  await sql
    .raw('CREATE INDEX bench_jobs_due ON bench_jobs (run_at) WHERE run_at IS NOT NULL')
    .execute(store.db);
  const CHUNK = 20_000;
  for (let from = 0; from < n; from += CHUNK) {
    const rows: unknown[][] = [];
    for (let i = from; i < Math.min(n, from + CHUNK); i++) {
      // A scrambled order, so claiming by run_at does not walk the primary key in order.
      rows.push([
        benchId('job', i),
        now - 3_600_000 + Math.floor((((i * 7_919) % n) * 3_600_000) / n),
        null,
      ]);
    }
    await bulkWrite(
      store,
      'bench_jobs',
      [
        ['id', 'text'],
        ['run_at', 'bigint'],
        ['done_at', 'bigint'],
      ],
      rows,
    );
  }
  if (store.kind === 'postgres') await sql.raw('VACUUM (ANALYZE) bench_jobs').execute(store.db);
}

/** One claim: the oldest due jobs, marked done in the same transaction. */
async function claimJobs(store: Store, limit: number): Promise<number> {
  return withRetriedTransaction(store, async (tx) => {
    const now = Date.now();
    const due = await sql<{ id: string }>`
      SELECT id FROM bench_jobs WHERE run_at <= ${now} ORDER BY run_at LIMIT ${limit} ${skipLocked(store)}
    `.execute(tx);
    if (due.rows.length === 0) return 0;
    const ids = due.rows.map((r) => r.id);
    await sql`UPDATE bench_jobs SET run_at = NULL, done_at = ${now} WHERE id IN (${sql.join(ids)})`.execute(
      tx,
    );
    return ids.length;
  });
}

export interface QueueResult {
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
  /** Jobs marked done in the table: must equal `jobs`. */
  doneInTable: number;
}

/** Claims due jobs back to back for `seconds` (batches of `limit`, like the timer loop). */
export async function drainJobs(
  store: Store,
  seconds: number,
  limit: number,
): Promise<QueueResult> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let jobs = 0;
  while (performance.now() < deadline) {
    const n = await claimJobs(store, limit);
    if (n === 0) break;
    jobs += n;
  }
  const elapsed = (performance.now() - start) / 1000;
  const done = await sql<{
    n: number | string;
  }>`SELECT count(*) AS n FROM bench_jobs WHERE done_at IS NOT NULL`.execute(store.db);
  return {
    jobs,
    seconds: elapsed,
    jobsPerSecond: jobs / elapsed,
    doneInTable: Number(done.rows[0]!.n),
  };
}
