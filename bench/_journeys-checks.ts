// Correctness checks of the journeys benchmark, over the whole store once the loops stop.
import { sql } from 'kysely';
import type { Store } from '../src/store/index.js';
import type { DeliveryLog } from './_journeys-measure.js';

async function counts(store: Store, query: string): Promise<Record<string, number>> {
  const r = await sql<{ k: string; n: number | string }>`${sql.raw(query)}`.execute(store.db);
  return Object.fromEntries(r.rows.map((row) => [row.k, Number(row.n)]));
}

export interface Checks {
  /** Every check held. */
  passed: boolean;
  /** What failed, in words; empty when all passed. */
  failures: string[];
  runStates: Record<string, number>;
  messageStatuses: Record<string, number>;
  messages: number;
  distinctIdempotencyKeys: number;
  messageEvents: number;
  deliveries: number;
  duplicateDeliveries: number;
}

/**
 * Every run that came due ended completed at `done` and every other one is still parked
 * on `wait_1`; two messages per completed run, no idempotency key twice, each message
 * `sent` with two status events (queued, sent) and delivered exactly once; no loop failed
 * and no wake was unaccounted for.
 */
export async function checkStore(
  store: Store,
  people: number,
  completedRuns: number,
  log: DeliveryLog,
  loopErrors: number,
  problems: readonly string[],
): Promise<Checks> {
  const runStates = await counts(
    store,
    "SELECT status || '/' || step_id AS k, count(*) AS n FROM journey_runs GROUP BY status, step_id",
  );
  const messageStatuses = await counts(
    store,
    'SELECT status AS k, count(*) AS n FROM messages GROUP BY status',
  );
  const keys = await counts(
    store,
    "SELECT 'keys' AS k, count(DISTINCT idempotency_key) AS n FROM messages",
  );
  const events = await counts(store, "SELECT 'events' AS k, count(*) AS n FROM message_events");
  const messages = Object.values(messageStatuses).reduce((a, b) => a + b, 0);
  const c = {
    runStates,
    messageStatuses,
    messages,
    distinctIdempotencyKeys: keys.keys ?? 0,
    messageEvents: events.events ?? 0,
    deliveries: log.at.size,
    duplicateDeliveries: log.duplicates,
  };
  const failures: string[] = [];
  const expect = (what: string, actual: number, expected: number) => {
    if (actual !== expected) failures.push(`${what}: ${actual}, expected ${expected}`);
  };
  expect('completed runs', runStates['completed/done'] ?? 0, completedRuns);
  expect('runs parked on wait_1', runStates['waiting/wait_1'] ?? 0, people - completedRuns);
  expect('messages', messages, 2 * completedRuns);
  expect('messages sent', messageStatuses.sent ?? 0, messages);
  expect('distinct idempotency keys', c.distinctIdempotencyKeys, messages);
  expect('message events', c.messageEvents, 2 * messages);
  expect('deliveries', c.deliveries, messages);
  expect('duplicate deliveries', c.duplicateDeliveries, 0);
  expect('loop errors', loopErrors, 0);
  for (const p of problems.slice(0, 5)) failures.push(`wake: ${p}`);
  return { passed: failures.length === 0, failures, ...c };
}
