// The measured phases of the journeys benchmark, run while the timer and outbox loops run:
// saturation (an overdue backlog) and steady load (timers due at an even rate).
import type { JourneyDefinition } from '../src/journeys/core/definition.js';
import type { Store } from '../src/store/index.js';
import { SECOND_WAIT_MS, reschedule } from './_journeys-setup.js';
import {
  deliveryRate,
  latenessSeries,
  percentiles,
  type Loops,
  type Wake,
} from './_journeys-measure.js';

export interface Options {
  people: number;
  seconds: number;
  backlog: number;
  loads: number[];
  search: number;
  rate: number | null;
  queueSeconds: number;
  deliver: 'record' | 'webhook';
  finish: boolean;
}

/** What the phases share. */
export interface Bench {
  o: Options;
  store: Store;
  def: JourneyDefinition;
  /** People enrolled per second (three rows each): bounds how long a reschedule takes. */
  enrolPerSecond: number;
  loops: Loops;
  say(line: string): void;
  /** Waits until these runs' two messages each are delivered; their wakes if `read`. */
  measure(ids: string[], label: string, read?: boolean): Promise<Wake[]>;
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en');
export const max = (xs: readonly number[]) => xs.reduce((a, b) => (b > a ? b : a), -Infinity);

/** Lateness of wakes, in ms: to the step's commit, to its claim, to its message's delivery. */
export function lateness(wakes: readonly Wake[]) {
  return {
    timerLatenessMs: percentiles(wakes.map((w) => w.committed - w.due)),
    claimLatenessMs: percentiles(wakes.map((w) => w.claimed - w.due)),
    deliveryLatenessMs: percentiles(wakes.map((w) => w.delivered - w.due)),
  };
}

/**
 * Saturation: the runs `ids` are overdue. First the timer loop runs alone until nothing
 * is due, as the no-op queue did: all first wakes are older than any second wake, so
 * they are claimed first and their drain rate is the loop's maximum. Then both loops run
 * until every message is delivered; the outbox's rate is per second of busy time. Each
 * step costs a timer step and a delivery sharing one store and one Node process, so the
 * sustainable estimate combines them: 1 / (1/timers + 1/outbox).
 */
export async function saturationPhase(b: Bench, ids: string[]) {
  b.say(`saturation: ${fmt(ids.length)} overdue runs; the timer loop alone first...`);
  const start = Date.now();
  // Bounded: every run wakes twice and a batch takes up to 200.
  for (let n = Math.ceil((2 * ids.length) / 200) + 10; n > 0 && (await b.loops.timerStep()); n--);
  const outboxFrom = b.loops.start();
  const wakes = await b.measure(ids, 'saturation');
  const firstDone = max(wakes.filter((w) => w.wait === 1).map((w) => w.committed));
  const timers = ids.length / ((firstDone - start) / 1000);
  const delivered = deliveryRate(wakes, outboxFrom);
  return {
    runs: ids.length,
    maxStepsPerSecond: timers,
    deliveredPerSecond: delivered,
    sustainableEstimate: 1 / (1 / timers + 1 / delivered),
  };
}

export type Steady = Awaited<ReturnType<typeof steadyPhase>>;

/**
 * Steady load: people `from..` get timers due evenly at half of `steps` per second over
 * `--seconds` (their second wakes follow 10 s later, so both together make `steps` from
 * 10 s on). Lateness is taken over that full-rate window. Null when no people are left.
 */
export async function steadyPhase(b: Bench, load: number, steps: number, from: number) {
  const wakeRate = steps / 2;
  const runs = Math.min(Math.round(wakeRate * b.o.seconds), b.o.people - from);
  if (runs < 10) return null;
  // Time for the rewrite itself (an upsert per run) before the first timer comes due.
  const start = Date.now() + 1_000 + Math.ceil((3 * runs * 1000) / b.enrolPerSecond);
  b.say(
    `steady: ${fmt(steps)} steps/s (load ${load.toFixed(2)}; ${fmt(runs)} runs due over ${b.o.seconds} s, each again 10 s later)...`,
  );
  const ids = await reschedule(b.store, b.def, from, from + runs, (i) =>
    Math.floor(start + ((i - from) * 1000) / wakeRate),
  );
  const overran = Date.now() - start;
  const wakes = await b.measure(ids, 'steady');
  const full = wakes.filter(
    (w) => w.due >= start + SECOND_WAIT_MS && w.due < start + b.o.seconds * 1000,
  );
  const l = lateness(full.length > 0 ? full : wakes);
  const lastCommit = max(wakes.map((w) => w.committed));
  b.say(
    `  timer lateness p50 ${l.timerLatenessMs.p50} ms, p99 ${l.timerLatenessMs.p99} ms, max ${l.timerLatenessMs.max} ms; delivery p99 ${l.deliveryLatenessMs.p99} ms`,
  );
  return {
    load,
    dueStepsPerSecond: Math.round(steps),
    runs,
    // Shorter than --seconds when --people ran out.
    dueOverSeconds: Number((runs / wakeRate).toFixed(1)),
    stepsPerSecond: Math.round(wakes.length / ((lastCommit - start) / 1000)),
    sustained: l.timerLatenessMs.p99 < 1000 && l.deliveryLatenessMs.p99 < 1000,
    rescheduleOverranMs: Math.max(0, overran),
    fullRateWakes: full.length,
    ...l,
    allWakes: lateness(wakes),
    p99Every5s: latenessSeries(wakes, start, 5_000),
  };
}

/**
 * The next steady load (a fraction of the sustainable estimate): the `--load` list, then
 * `--search` more, each halfway between the highest load sustained and the lowest not,
 * or 1.5 times up while every load was sustained.
 */
export function nextLoad(o: Options, done: readonly NonNullable<Steady>[]): number | null {
  if (done.length < o.loads.length) return o.loads[done.length]!;
  if (done.length >= o.loads.length + o.search) return null;
  const lo = Math.max(0, max(done.filter((d) => d.sustained).map((d) => d.load)));
  const hi = -max(done.filter((d) => !d.sustained).map((d) => -d.load));
  if (hi === Infinity) return lo < 1 ? 1 : lo * 1.5;
  return (lo + hi) / 2;
}

/**
 * Runs everyone still parked (people `from..`) to the end: their timers are made overdue
 * and the loops drain them. Only counted; the checks then expect every run completed.
 */
export async function finishPhase(b: Bench, from: number) {
  const runs = b.o.people - from;
  if (runs <= 0) return { runs: 0, seconds: 0 };
  b.say(`finish: the other ${fmt(runs)} runs, made overdue...`);
  const now = Date.now();
  const ids = await reschedule(
    b.store,
    b.def,
    from,
    b.o.people,
    (i) => now - 60_000 + (i % 50_000),
  );
  const start = Date.now();
  await b.measure(ids, 'finish', false);
  return { runs, seconds: Number(((Date.now() - start) / 1000).toFixed(1)) };
}
