// npm run bench -- segments [--store sqlite|postgres|both] [--profiles 100000] [--segments 50]
//                          [--seconds 20] [--rate 500] [--batch 10] [--seed 42] [--no-analyze]
//
// Real-time segments on each store: 100k synthetic people with 60 days of e-commerce
// history and 50 segments of mixed kinds (back-filled from history), then
//  1. event-to-membership latency under a steady event load through ingestion with the
//     real background loops running (p50/p95/p99/max from acknowledgement to the commit
//     of the membership change), and the events/s the pipeline kept up with;
//  2. the full recompute over every profile and segment (which must find 0 differences
//     once the due checks have run);
//  3. side by side in the same run, the same segments as plain SQL queries on the same
//     store, timed, with per-segment agreement of their member sets with Rapport's.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { recomputeSegments } from '../src/segments/index.js';
import { buildApp, closeApp } from '../src/app/build-app.js';
import { systemClock, type Clock } from '../src/shared/index.js';
import { ensureDefaultWorkspace } from '../src/workspaces/index.js';
import { report } from './_report.js';
import { compareWithSql } from './_segments-compare.js';
import { WORKSPACE } from './_segments-data.js';
import { PROBE_KEY } from './_segments-defs.js';
import { runLoad, transitionWatch } from './_segments-load.js';
import { backfill, createSegments, writePopulation } from './_segments-setup.js';
import { openBenchStore, parseStores, type BenchStore } from './_stores.js';
import type { StoreKind } from '../src/store/index.js';

const secs = (ms: number) => Number((ms / 1000).toFixed(2));
const positive = (name: string, value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--${name} must be a positive number, not "${value}"`);
  return n;
};

interface Options {
  profiles: number;
  segments: number;
  seconds: number;
  rate: number;
  batch: number;
  seed: number;
  analyze: boolean;
}

async function runStore(b: BenchStore, o: Options): Promise<[Record<string, unknown>, string]> {
  const kind = b.kind;
  const log = (line: string) => process.stderr.write(`segments bench: ${kind}: ${line}\n`);
  const logger = pino({ level: 'silent' });
  await ensureDefaultWorkspace(b.store.db, systemClock);
  const watch = transitionWatch();
  const ctx = buildApp({ store: b.store, clock: systemClock, logger, extraStages: [watch.stage] });

  log(`writing ${o.profiles.toLocaleString('en')} people...`);
  const population = await writePopulation(b.store, o.profiles, o.seed, Date.now(), log, o.analyze);
  let t = performance.now();
  await ctx.models.refresh(WORKSPACE);
  const modelFitSeconds = secs(performance.now() - t);
  const segments = await createSegments(b.store, systemClock, o.segments);
  const probe = segments.find((s) => s.key === PROBE_KEY)!;
  log(`back-filling ${segments.length} segments...`);
  const filled = await backfill(() => ctx.segments.backfillStep(), b.store, o.analyze);
  const count = async (table: 'segment_members' | 'events') =>
    Number(
      (
        await b.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const membersAfterBackfill = await count('segment_members');
  const eventsAppendedByBackfill = (await count('events')) - population.events;
  log(
    `back-fill: ${filled.seconds.toFixed(1)} s, ${membersAfterBackfill.toLocaleString('en')} memberships`,
  );

  const load = await runLoad(
    ctx,
    watch,
    population.people,
    {
      seconds: o.seconds,
      rate: o.rate,
      batch: o.batch,
      seed: o.seed,
      probeSegmentId: probe.id,
      probeShare: 0.1,
    },
    log,
  );
  await closeApp(ctx);

  // Everything after the load runs at one frozen instant, so Rapport's due checks, its
  // recompute and the SQL reference all answer for the same `now`.
  const now = Date.now();
  const frozen: Clock = { now: () => now };
  const still = buildApp({ store: b.store, clock: frozen, logger });
  t = performance.now();
  let dueRounds = 0;
  while (await still.segments.runDueChecks()) dueRounds++;
  const dueChecksSeconds = secs(performance.now() - t);
  log('full recompute...');
  t = performance.now();
  const recompute = await recomputeSegments(
    b.store,
    frozen,
    still.segmentRegistry,
    still.models,
    WORKSPACE,
  );
  const recomputeSeconds = (performance.now() - t) / 1000;
  await closeApp(still);
  const differencesBySegment: Record<string, number> = {};
  for (const d of recompute.differences) {
    const key = segments.find((s) => s.id === d.segmentId)?.key ?? d.segmentId;
    differencesBySegment[key] = (differencesBySegment[key] ?? 0) + 1;
  }

  log('plain SQL reference...');
  const reference = await compareWithSql(b.store, b.env.DATABASE_URL, segments, now);
  const compared = reference.results.filter((r) => r.agree !== null);
  const agreeing = compared.filter((r) => r.agree).length;
  const sqlSeconds = reference.sideTablesSeconds + reference.querySeconds;
  const latency = load.latencyMs as Record<string, number | null>;
  const result = {
    profiles: population.profiles,
    events: population.events,
    identities: population.identities,
    segments: segments.length,
    setup: {
      writeSeconds: Number(population.seconds.toFixed(2)),
      modelFitSeconds,
      analyze: o.analyze,
      analyzeSeconds: Number(filled.analyzeSeconds.toFixed(2)),
      backfillSeconds: Number(filled.seconds.toFixed(2)),
      membershipsAfterBackfill: membersAfterBackfill,
      eventsAppendedByBackfill,
    },
    load,
    dueChecks: { seconds: dueChecksSeconds, rounds: dueRounds },
    recompute: {
      seconds: Number(recomputeSeconds.toFixed(2)),
      profiles: recompute.profiles,
      segments: recompute.segments,
      differences: recompute.differences.length,
      differencesBySegment,
    },
    reference: {
      seconds: Number(sqlSeconds.toFixed(2)),
      sideTablesSeconds: Number(reference.sideTablesSeconds.toFixed(2)),
      querySeconds: Number(reference.querySeconds.toFixed(2)),
      compared: compared.length,
      agree: agreeing,
      recomputeToSqlRatio: Number((recomputeSeconds / sqlSeconds).toFixed(2)),
      perSegment: reference.results,
    },
  };
  const summary =
    `${kind} p99 ${String(latency.p99)} ms (p50 ${String(latency.p50)}, ${String(latency.samples)} changes at ` +
    `${o.rate} ev/s${load.keptUp ? '' : ', fell behind'}), recompute ${recomputeSeconds.toFixed(1)} s ` +
    `= ${(recomputeSeconds / sqlSeconds).toFixed(1)}x SQL (${sqlSeconds.toFixed(1)} s), ` +
    `${agreeing}/${compared.length} agree (${reference.results.length - compared.length} not plain SQL), ` +
    `${recompute.differences.length} recompute differences, back-fill ${filled.seconds.toFixed(0)} s`;
  return [result, summary];
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      store: { type: 'string' },
      profiles: { type: 'string', default: '100000' },
      segments: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '20' },
      rate: { type: 'string', default: '500' },
      batch: { type: 'string', default: '10' },
      seed: { type: 'string', default: '42' },
      'no-analyze': { type: 'boolean', default: false },
    },
  });
  const options: Options = {
    profiles: Math.floor(positive('profiles', values.profiles)),
    segments: Math.floor(positive('segments', values.segments)),
    seconds: positive('seconds', values.seconds),
    rate: positive('rate', values.rate),
    batch: Math.floor(positive('batch', values.batch)),
    seed: Math.floor(positive('seed', values.seed)),
    analyze: !values['no-analyze'],
  };
  const results: Partial<Record<StoreKind, Record<string, unknown>>> = {};
  const lines: string[] = [];
  for (const kind of parseStores(values.store)) {
    const b = await openBenchStore(kind);
    try {
      const [result, line] = await runStore(b, options);
      results[kind] = result;
      lines.push(line);
    } finally {
      await b.drop();
    }
  }
  report('segments', { options, results }, `segments: ${lines.join('; ')}`);
}
