// npm run bench -- profiles [--store sqlite|postgres|both] [--data DIR]
//
// The Online Retail year through the profile stage: events/s of identity resolution +
// fact updates + writes, on each store, side by side with folding the same events in
// memory with the pure core (no store) in the same run; and the time of a full
// `profiles rebuild` from the log.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { runImport } from '../src/importer/index.js';
import { rebuildProfiles } from '../src/profiles/index.js';
import { applyEvent } from '../src/profiles/computed/apply-event.js';
import { emptyFacts } from '../src/profiles/computed/facts-schema.js';
import { toLoggedEvent } from '../src/profiles/stored-event.js';
import { buildApp, closeApp } from '../src/app/build-app.js';
import { systemClock } from '../src/shared/index.js';
import { ensureDefaultWorkspace } from '../src/workspaces/index.js';
import { report } from './_report.js';
import { openBenchStore, parseStores } from './_stores.js';

const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      store: { type: 'string' },
      data: { type: 'string', default: '../shared/data/online_retail' },
    },
  });
  const files = [1, 2].map((p) =>
    join(values.data, `online_retail_full_year_no_invoice_stock_part${p}.csv.gz`),
  );
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const kind of parseStores(values.store)) {
    const b = await openBenchStore(kind);
    await ensureDefaultWorkspace(b.store.db, systemClock);
    const ctx = buildApp({
      store: b.store,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
    });
    process.stderr.write(
      `profiles bench: ${kind}: loading the Online Retail year into the log...\n`,
    );
    await runImport(
      {
        store: b.store,
        writer: ctx.writer,
        processor: ctx.profiles,
        models: ctx.models,
        clock: systemClock,
      },
      {
        kind: 'events',
        files,
        workspaceId: 'default',
        preset: 'online-retail',
        mapping: new Map(),
        rejectsPath: '/dev/null',
        process: false,
        progress: quiet,
      },
    );

    // Reference: the same events folded by the pure core, in memory.
    const rows = await b.store.db.selectFrom('events').selectAll().orderBy('id').execute();
    const t0 = performance.now();
    const facts = new Map<string, ReturnType<typeof emptyFacts>>();
    for (const row of rows) {
      const e = toLoggedEvent(row);
      const key = e.userId ?? e.anonymousId ?? '';
      facts.set(key, applyEvent(facts.get(key) ?? emptyFacts(), e));
    }
    const pureRate = rows.length / ((performance.now() - t0) / 1000);

    process.stderr.write(`profiles bench: ${kind}: profile stage over ${rows.length} events...\n`);
    const t1 = performance.now();
    const processed = await ctx.profiles.drain();
    const stageSeconds = (performance.now() - t1) / 1000;
    const stageRate = processed / stageSeconds;

    const t2 = performance.now();
    await ctx.models.refresh('default');
    const fitSeconds = (performance.now() - t2) / 1000;

    const t3 = performance.now();
    const rebuilt = await rebuildProfiles(b.store, systemClock, 'default');
    const rebuildSeconds = (performance.now() - t3) / 1000;

    await closeApp(ctx);
    await b.drop();
    results[kind] = {
      events: processed,
      profiles: rebuilt.profiles,
      stageEventsPerSecond: Math.round(stageRate),
      pureCoreEventsPerSecond: Math.round(pureRate),
      ratio: Number((stageRate / pureRate).toFixed(3)),
      stageSeconds: Number(stageSeconds.toFixed(2)),
      modelFitSeconds: Number(fitSeconds.toFixed(2)),
      rebuildSeconds: Number(rebuildSeconds.toFixed(2)),
      rebuildChanged: rebuilt.changed.length,
    };
    lines.push(
      `${kind} ${Math.round(stageRate).toLocaleString('en')} ev/s = ${(stageRate / pureRate).toFixed(2)}x pure core ` +
        `(${Math.round(pureRate).toLocaleString('en')} ev/s), rebuild ${rebuildSeconds.toFixed(1)} s ` +
        `for ${rebuilt.profiles.toLocaleString('en')} profiles, model fit ${fitSeconds.toFixed(2)} s`,
    );
  }
  report('profiles', { results }, `profiles: ${lines.join('; ')}`);
}
