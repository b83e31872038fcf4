// Measurement for the journeys benchmark: the real timer and outbox loops, a clock that
// tells which timer batch read which time, and lateness read back from the run states.
import { createServer, type Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { WorkLoop } from '../src/jobs/index.js';
import type { JourneyStage } from '../src/journeys/index.js';
import type { RunState } from '../src/journeys/core/run-state.js';
import {
  OutboxSender,
  webhookChannel,
  writeSettings,
  type Deliver,
} from '../src/messaging/index.js';
import { DEFAULT_SETTINGS } from '../src/messaging/workspace-settings.js';
import { pushTo, systemClock, type Clock } from '../src/shared/index.js';
import type { Store } from '../src/store/index.js';
import { FIRST_WAIT_MS, SECOND_WAIT_MS, WORKSPACE } from './_journeys-setup.js';

/**
 * The system clock, remembering what it returned. A timer batch stamps every step it
 * takes with the `now` it read when it began (history `at`, message `created_at`); the
 * timer loop below maps each value read during a batch to the time that batch committed,
 * so lateness is measured to the commit, not to the claim.
 */
export class RecordingClock implements Clock {
  private reads: number[] = [];
  now(): number {
    const t = Date.now();
    this.reads.push(t);
    return t;
  }
  take(): number[] {
    const r = this.reads;
    this.reads = [];
    return r;
  }
}

/** A logger for the loops that counts failures and shows the first few on stderr. */
export function countingLogger(): { logger: Logger; errors: () => number } {
  let errors = 0;
  const logger = pino(
    { level: 'error' },
    {
      write(line: string) {
        if (++errors <= 5) process.stderr.write(`journeys bench: loop error: ${line}`);
      },
    },
  );
  return { logger, errors: () => errors };
}

/** Every delivery the outbox made, by idempotency key, with its time. */
export class DeliveryLog {
  readonly at = new Map<string, number>();
  duplicates = 0;
  wrap(deliver: Deliver): Deliver {
    return async (m) => {
      const outcome = await deliver(m);
      if (outcome.kind === 'sent') {
        if (this.at.has(m.idempotencyKey)) this.duplicates++;
        else this.at.set(m.idempotencyKey, Date.now());
      }
      return outcome;
    };
  }
}

/** The channel: `record` returns `sent` at once; `webhook` POSTs to a no-op loopback server. */
export async function benchChannel(
  store: Store,
  mode: 'record' | 'webhook',
): Promise<{ deliver: Deliver; close(): Promise<void> }> {
  if (mode === 'record') return { deliver: async () => ({ kind: 'sent' }), close: async () => {} };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await writeSettings(store.db, systemClock, WORKSPACE, {
    ...DEFAULT_SETTINGS,
    // Signed, as every workspace's webhooks are: the HMAC is part of the measured cost.
    webhook: { url: `http://127.0.0.1:${port}/hook`, signing: 'on' },
  });
  return {
    deliver: webhookChannel(store, systemClock),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export interface Loops {
  /** Batch `now` -> the time that batch committed. */
  commits: Map<number, number>;
  batches: () => number;
  /** One timer batch, as the timer loop runs it; true if there were due runs. */
  timerStep: () => Promise<boolean>;
  /** Starts both loops; returns the time it did. */
  start(): number;
  stop(): Promise<void>;
}

/**
 * The timer loop (the journey stage's `runDueTimers`, as `buildApp` wires it:
 * batches of 200, idle 100 ms) and the outbox loop (an `OutboxSender` over `deliver`,
 * idle 100 ms), as `startBackground` runs them in a worker.
 */
export function benchLoops(
  stage: JourneyStage,
  clock: RecordingClock,
  store: Store,
  deliver: Deliver,
  logger: Logger,
): Loops {
  const commits = new Map<number, number>();
  let batches = 0;
  const timerStep = async () => {
    clock.take();
    const did = await stage.runDueTimers();
    const at = Date.now();
    // The first batch that read a value owns it: a later batch can only read the same
    // millisecond if the earlier one committed within it.
    for (const t of clock.take()) if (!commits.has(t)) commits.set(t, at);
    if (did) batches++;
    return did;
  };
  const timers = new WorkLoop('journey-timers', timerStep, { logger, idleMs: 100 });
  const sender = new OutboxSender(store, systemClock, { webhook: deliver }, { logger });
  const outbox = new WorkLoop('outbox', () => sender.step(), { logger, idleMs: 100 });
  return {
    commits,
    batches: () => batches,
    timerStep,
    start: () => {
      timers.start();
      outbox.start();
      return Date.now();
    },
    stop: async () => {
      await Promise.all([timers.stop(), outbox.stop()]);
    },
  };
}

/** Resolves when `done()` holds; rejects when `progress()` has not moved for `stallMs`. */
export async function waitFor(
  done: () => boolean,
  progress: () => number,
  stallMs: number,
  tick: (elapsedMs: number) => void,
): Promise<void> {
  const start = Date.now();
  let last = progress();
  let lastMove = start;
  let lastTick = start;
  while (!done()) {
    await new Promise((r) => setTimeout(r, 100));
    const p = progress();
    const now = Date.now();
    if (p !== last) {
      last = p;
      lastMove = now;
    } else if (now - lastMove > stallMs) {
      throw new Error(`no progress for ${stallMs / 1000} s (at ${p})`);
    }
    if (now - lastTick >= 5_000) {
      lastTick = now;
      tick(now - start);
    }
  }
}

/** The runs with these ids, as stored. */
export async function readRuns(store: Store, ids: readonly string[]): Promise<RunState[]> {
  const out: RunState[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await store.db
      .selectFrom('journey_runs')
      .select('state')
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.push(JSON.parse(r.state) as RunState);
  }
  return out;
}

/** One timer wake of one run, on the wall clock (epoch ms). */
export interface Wake {
  runId: string;
  /** 1 or 2: which wait it ended. */
  wait: 1 | 2;
  due: number;
  /** The batch's `now` (the claim). */
  claimed: number;
  committed: number;
  /** When the outbox delivered the message the wake produced; NaN if it has not. */
  delivered: number;
}

/**
 * The wakes of completed runs, read from their history: the first wait was due at
 * `enteredAt + FIRST_WAIT_MS`, the second `SECOND_WAIT_MS` after the first was claimed.
 * Returns the problems found (a run not completed, a missing history entry or commit).
 */
export function wakesOf(
  runs: readonly RunState[],
  commits: ReadonlyMap<number, number>,
  deliveries: ReadonlyMap<string, number>,
): { wakes: Wake[]; problems: string[] } {
  const wakes: Wake[] = [];
  const problems: string[] = [];
  for (const run of runs) {
    const resumed = (stepId: string) =>
      run.history.find((h) => h.stepId === stepId && h.outcome === 'resumed')?.at;
    const t1 = resumed('wait_1');
    const t2 = resumed('wait_2');
    if (run.status !== 'completed' || t1 === undefined || t2 === undefined) {
      problems.push(`${run.runId}: ${run.status} at ${run.stepId}`);
      continue;
    }
    const c1 = commits.get(t1);
    const c2 = commits.get(t2);
    if (c1 === undefined || c2 === undefined) {
      problems.push(`${run.runId}: no timer batch read ${c1 === undefined ? t1 : t2}`);
      continue;
    }
    const delivered = (step: string) => deliveries.get(`${run.runId}:${step}:1`) ?? NaN;
    wakes.push(
      {
        runId: run.runId,
        wait: 1,
        due: run.enteredAt + FIRST_WAIT_MS,
        claimed: t1,
        committed: c1,
        delivered: delivered('send_1'),
      },
      {
        runId: run.runId,
        wait: 2,
        due: t1 + SECOND_WAIT_MS,
        claimed: t2,
        committed: c2,
        delivered: delivered('send_2'),
      },
    );
  }
  return { wakes, problems };
}

export interface Percentiles {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of `values` (ms), rounded. */
export function percentiles(values: readonly number[]): Percentiles {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const at = (q: number) =>
    v.length ? v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]! : NaN;
  return {
    n: v.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: v.length ? v[v.length - 1]! : NaN,
  };
}

/** Lateness p99 per `bucketMs` of due time: a backlog that grows shows as a rising line. */
export function latenessSeries(wakes: readonly Wake[], start: number, bucketMs: number) {
  const buckets = new Map<number, number[]>();
  for (const w of wakes) {
    const b = Math.floor((w.due - start) / bucketMs);
    pushTo(buckets, b, w.committed - w.due);
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, list]) => ({
      fromS: (b * bucketMs) / 1000,
      wakes: list.length,
      p99: percentiles(list).p99,
    }));
}

/**
 * Messages delivered per second of outbox busy time: the time, from `from` (when the
 * outbox started), some message was committed and not yet delivered (the union of each
 * wake's [committed, delivered]). Waiting for timers to come due does not count.
 */
export function deliveryRate(wakes: readonly Wake[], from: number): number {
  const spans = wakes
    .filter((w) => !Number.isNaN(w.delivered))
    .map((w) => [Math.max(from, w.committed), w.delivered] as const)
    .sort((a, b) => a[0] - b[0]);
  if (spans.length === 0) return NaN;
  let busy = 0;
  let [start, end] = spans[0]!;
  for (const [a, b] of spans) {
    if (a > end) {
      busy += end - start;
      start = a;
      end = b;
    } else if (b > end) end = b;
  }
  busy += end - start;
  return spans.length / (busy / 1000);
}
