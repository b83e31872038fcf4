// npm run bench -- journeys [--store sqlite|postgres|both] [--people 1000000] [--seconds 30]
//   [--backlog 10000] [--load 0.5] [--search 2] [--rate N] [--queue-seconds 10]
//   [--deliver record|webhook] [--finish]
//
// Durable journeys at scale. Per store: a fresh store with `--people` people enrolled in a
// three-step journey (wait P1D -> send -> wait PT10S -> send -> exit), written in bulk as
// real run states parked on the first wait (the HTTP API would take hours for 1M people).
// Then, with the real loops running as `startBackground` runs them (the context's journey
// stage in a `WorkLoop` calling `runDueTimers`; an `OutboxSender` in a `WorkLoop`, built
// as `buildApp` builds it but over the bench's channel, since the context takes none):
//  1. reference: a no-op job queue of `--people` jobs in the same store, claimed the same
//     way, for `--queue-seconds`: jobs/s;
//  2. saturation: `--backlog` runs whose timers are all overdue: the timer loop's maximum
//     steps/s (timer wakes per second) running alone, as the reference did; then the
//     outbox's messages per second of busy time, delivering those wakes' messages beside
//     the timer loop. Every step costs both, so 1 / (1/steps + 1/messages) is the
//     sustainable estimate (or `--rate` steps/s);
//  3. steady load: cohorts whose timers come due evenly over `--seconds`, at each `--load`
//     fraction of the estimate and then `--search` more loads that close in on the
//     highest one sustained (timer and delivery lateness p99 under 1 s). Each run wakes
//     twice, 10 s apart, so both waits' timers come due together (the full rate) from
//     10 s on; lateness is over that window: timer lateness (the step's commit - due)
//     and delivery lateness (delivered - due), p50/p99/max;
//  4. with `--finish` (the default up to 50,000 people; a million would take hours at
//     these rates), every other run is made overdue and run to its end;
//  5. checks: every run that came due completed, the others untouched on their first
//     wait, two messages per completed run, no idempotency key twice, each delivered once.
// Without `--finish` the other people keep timers a day away, as in a real welcome
// journey: they give the tables and indexes their size. Delivery by default records and
// returns `sent`, so the figures are the journey engine's and the outbox's, not an HTTP
// client's; `--deliver webhook` POSTs through the real webhook channel to a no-op server
// on loopback.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createJourney, getJourney } from '../src/journeys/index.js';
import { validateJourney } from '../src/journeys/core/validate.js';
import { buildApp, closeApp } from '../src/app/build-app.js';
import { systemClock } from '../src/shared/index.js';
import type { Store, StoreKind } from '../src/store/index.js';
import { ensureDefaultWorkspace } from '../src/workspaces/index.js';
import { report } from './_report.js';
import { openBenchStore, parseStores } from './_stores.js';
import { checkStore } from './_journeys-checks.js';
import { createJobs, drainJobs } from './_journeys-queue.js';
import { BENCH_JOURNEY, WORKSPACE, benchId, enrol, storeSize } from './_journeys-setup.js';
import {
  DeliveryLog,
  RecordingClock,
  benchChannel,
  benchLoops,
  countingLogger,
  readRuns,
  waitFor,
  wakesOf,
} from './_journeys-measure.js';
import {
  fmt,
  max,
  finishPhase,
  nextLoad,
  saturationPhase,
  steadyPhase,
  type Bench,
  type Options,
  type Steady,
} from './_journeys-phases.js';

const HOUR = 3_600_000;
const TABLES = ['journey_runs', 'profiles', 'identities', 'messages', 'message_events'];
const say = (kind: StoreKind, line: string) =>
  process.stderr.write(`journeys bench: ${kind}: ${line}\n`);

function parseOptions(args: string[]): { stores: StoreKind[]; options: Options } {
  const { values } = parseArgs({
    args,
    options: {
      store: { type: 'string' },
      people: { type: 'string', default: '1000000' },
      seconds: { type: 'string', default: '30' },
      backlog: { type: 'string', default: '10000' },
      load: { type: 'string', default: '0.5' },
      search: { type: 'string', default: '2' },
      rate: { type: 'string' },
      'queue-seconds': { type: 'string', default: '10' },
      deliver: { type: 'string', default: 'record' },
      finish: { type: 'boolean' },
    },
  });
  const num = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min)
      throw new Error(`--${name} must be a number >= ${min}, not "${v}"`);
    return n;
  };
  if (values.deliver !== 'record' && values.deliver !== 'webhook')
    throw new Error(`--deliver must be record or webhook, not "${values.deliver}"`);
  const people = Math.floor(num('people', values.people, 100));
  return {
    stores: parseStores(values.store),
    options: {
      people,
      seconds: num('seconds', values.seconds, 1),
      backlog: Math.min(Math.floor(num('backlog', values.backlog, 1)), Math.floor(people / 4)),
      loads: values.load.split(',').map((l) => num('load', l, 0.01)),
      search: Math.floor(num('search', values.search, 0)),
      rate: values.rate === undefined ? null : num('rate', values.rate, 1),
      queueSeconds: num('queue-seconds', values['queue-seconds'], 1),
      deliver: values.deliver,
      finish: values.finish ?? people <= 50_000,
    },
  };
}

/** The journey as `POST /v1/journeys` creates it (validated, version 1, active). */
async function createBenchJourney(store: Store) {
  await ensureDefaultWorkspace(store.db, systemClock);
  await createJourney(store.db, systemClock, WORKSPACE, {
    definition: BENCH_JOURNEY,
    activate: true,
  });
  const out = await getJourney(store.db, WORKSPACE, BENCH_JOURNEY.id);
  const checked = validateJourney(out.definition);
  if (checked.kind !== 'ok') throw new Error('the stored bench journey does not validate');
  return checked.value;
}

async function benchStore(kind: StoreKind, o: Options) {
  const b = await openBenchStore(kind);
  const { store } = b;
  try {
    const def = await createBenchJourney(store);

    // Enrolment: the saturation cohort's timers are overdue (spread over the minute before
    // now); everyone else's come due between 2 h and a day from now.
    const t0 = Date.now();
    const far = o.people - o.backlog;
    const wakeOf = (i: number) =>
      i < o.backlog
        ? t0 - 60_000 + Math.floor((i * 50_000) / o.backlog)
        : t0 + 2 * HOUR + Math.floor(((i - o.backlog) * 22 * HOUR) / far);
    say(kind, `enrolling ${fmt(o.people)} people (profile, identity, run each)...`);
    let lastLine = Date.now();
    await enrol(store, def, o.people, wakeOf, (done) => {
      if (Date.now() - lastLine < 15_000 && done < o.people) return;
      lastLine = Date.now();
      say(kind, `  ${fmt(done)} enrolled (${fmt(done / ((Date.now() - t0) / 1000))}/s)`);
    });
    const enrolSeconds = (Date.now() - t0) / 1000;
    const sizeEnrolled = await storeSize(store, TABLES);
    say(kind, `store with ${fmt(o.people)} runs: ${(sizeEnrolled.totalBytes / 1e9).toFixed(2)} GB`);

    say(kind, `reference: ${fmt(o.people)} no-op jobs, claimed for ${o.queueSeconds} s...`);
    await createJobs(store, o.people, Date.now());
    const queue = await drainJobs(store, o.queueSeconds, 200);
    say(kind, `  no-op queue: ${fmt(queue.jobsPerSecond)} jobs/s`);

    const clock = new RecordingClock();
    const { logger, errors } = countingLogger();
    const ctx = buildApp({ store, clock, logger: pino({ level: 'silent' }) });
    const channel = await benchChannel(store, o.deliver);
    const log = new DeliveryLog();
    // Not started yet: the saturation phase runs the timer loop alone first.
    const loops = benchLoops(ctx.journeys, clock, store, log.wrap(channel.deliver), logger);
    const problems: string[] = [];
    let completed = 0;
    const bench: Bench = {
      o,
      store,
      def,
      loops,
      enrolPerSecond: o.people / enrolSeconds,
      say: (line) => say(kind, line),
      measure: async (ids, label, read = true) => {
        const before = log.at.size;
        await waitFor(
          () => log.at.size >= before + 2 * ids.length,
          () => log.at.size + loops.batches(),
          60_000,
          (ms) =>
            say(
              kind,
              `  ${label}, ${(ms / 1000).toFixed(0)} s: ${fmt(log.at.size - before)} of ${fmt(2 * ids.length)} messages delivered`,
            ),
        );
        completed += ids.length;
        if (!read) return [];
        const r = wakesOf(await readRuns(store, ids), loops.commits, log.at);
        problems.push(...r.problems);
        return r.wakes;
      },
    };
    try {
      const ids = Array.from({ length: o.backlog }, (_, i) => benchId('run', i));
      const sat = await saturationPhase(bench, ids);
      const ratio = sat.maxStepsPerSecond / queue.jobsPerSecond;
      say(
        kind,
        `  timers ${fmt(sat.maxStepsPerSecond)} steps/s = ${ratio.toFixed(3)}x the no-op queue; outbox ${fmt(sat.deliveredPerSecond)} messages/s`,
      );
      const steady: NonNullable<Steady>[] = [];
      let next = o.backlog;
      for (let load = nextLoad(o, steady); load !== null; load = nextLoad(o, steady)) {
        const phase = await steadyPhase(
          bench,
          load,
          load * (o.rate ?? sat.sustainableEstimate),
          next,
        );
        if (!phase) break;
        steady.push(phase);
        next += phase.runs;
      }
      const finish = o.finish ? await finishPhase(bench, next) : null;
      await loops.stop();

      const checks = await checkStore(store, o.people, completed, log, errors(), problems);
      say(kind, checks.passed ? 'checks passed' : `CHECKS FAILED: ${checks.failures.join('; ')}`);
      const sustained = steady.filter((s) => s.sustained).map((s) => s.dueStepsPerSecond);
      return {
        people: o.people,
        enrolSeconds: Number(enrolSeconds.toFixed(1)),
        sizeWithRuns: sizeEnrolled,
        sizeAtEnd: await storeSize(store, [...TABLES, 'bench_jobs']),
        queue: { ...queue, jobsPerSecond: Math.round(queue.jobsPerSecond) },
        ratio: Number(ratio.toFixed(4)),
        saturation: {
          runs: sat.runs,
          maxStepsPerSecond: Math.round(sat.maxStepsPerSecond),
          deliveredPerSecond: Math.round(sat.deliveredPerSecond),
          sustainableEstimate: Math.round(sat.sustainableEstimate),
        },
        steady,
        finish,
        maxSustainedStepsPerSecond: sustained.length ? max(sustained) : null,
        checks,
      };
    } finally {
      await loops.stop();
      await channel.close();
      await closeApp(ctx);
    }
  } finally {
    await b.drop();
  }
}

type StoreResult = Awaited<ReturnType<typeof benchStore>>;

function summaryOf(kind: StoreKind, r: StoreResult): string {
  const s = r.saturation;
  const first = r.steady[0];
  const at = first
    ? `at ${fmt(first.dueStepsPerSecond)} steps/s due, timer lateness p50 ${fmt(first.timerLatenessMs.p50)} / ` +
      `p99 ${fmt(first.timerLatenessMs.p99)} ms (delivery p99 ${fmt(first.deliveryLatenessMs.p99)} ms)`
    : 'no steady phase';
  const best = r.maxSustainedStepsPerSecond;
  return (
    `${kind} ${fmt(s.maxStepsPerSecond)} steps/s = ${r.ratio.toFixed(3)}x no-op queue ` +
    `(${fmt(r.queue.jobsPerSecond)} jobs/s), outbox ${fmt(s.deliveredPerSecond)} msg/s; ${at}; ` +
    (best === null
      ? 'no load tried kept p99 < 1 s; '
      : `p99 < 1 s sustained up to ${fmt(best)} steps/s; `) +
    `${fmt(r.people)} runs in ${(r.sizeWithRuns.totalBytes / 1e9).toFixed(2)} GB` +
    (r.checks.passed ? '' : ' CHECKS FAILED')
  );
}

export async function main(args: string[]): Promise<void> {
  const { stores, options } = parseOptions(args);
  const results: Partial<Record<StoreKind, StoreResult>> = {};
  for (const kind of stores) results[kind] = await benchStore(kind, options);
  const lines = stores.map((k) => summaryOf(k, results[k]!));
  report('journeys', { options, results }, `journeys: ${lines.join('; ')}`);
  if (stores.some((k) => !results[k]!.checks.passed)) process.exitCode = 1;
}
