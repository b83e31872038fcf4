// npm run bench -- profiles [--store sqlite|postgres|both] [--data DIR] [--encryption]
//
// The Online Retail year through the profile stage: events/s of identity resolution +
// fact updates + writes, on each store, side by side with folding the same events in
// memory with the pure core (no store) in the same run; and the time of a full
// `profiles rebuild` from the log. `--encryption` runs each store again with a master key
// (facts, identities and payloads sealed) and reports the ratio to the clear run.
import { randomBytes } from 'node:crypto';
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
import { withEncryption } from '../src/store/encryption/install.js';
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
      encryption: { type: 'boolean', default: false },
    },
  });
  const files = [1, 2].map((p) =>
    join(values.data, `online_retail_full_year_no_invoice_stock_part${p}.csv.gz`),
  );
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  const runs = parseStores(values.store).flatMap((kind) =>
    (values.encryption ? [false, true] : [false]).map((sealed) => ({ kind, sealed })),
  );
  for (const { kind, sealed } of runs) {
    const b = await openBenchStore(kind);
    const masters = { current: randomBytes(32), previous: [] };
    const store = sealed ? await withEncryption(b.store, masters, Date.now()) : b.store;
    const name = sealed ? `${kind}+encryption` : kind;
    await ensureDefaultWorkspace(store.db, systemClock);
    const ctx = buildApp({
      store: store,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
    });
    process.stderr.write(
      `profiles bench: ${name}: loading the Online Retail year into the log...\n`,
    );
    await runImport(
      {
        store: store,
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
    const rows = await store.db.selectFrom('events').selectAll().orderBy('id').execute();
    const t0 = performance.now();
    const facts = new Map<string, ReturnType<typeof emptyFacts>>();
    for (const row of rows) {
      const e = toLoggedEvent(row);
      const key = e.userId ?? e.anonymousId ?? '';
      facts.set(key, applyEvent(facts.get(key) ?? emptyFacts(), e));
    }
    const pureRate = rows.length / ((performance.now() - t0) / 1000);

    process.stderr.write(`profiles bench: ${name}: profile stage over ${rows.length} events...\n`);
    const t1 = performance.now();
    const processed = await ctx.profiles.drain();
    const stageSeconds = (performance.now() - t1) / 1000;
    const stageRate = processed / stageSeconds;

    const t2 = performance.now();
    await ctx.models.refresh('default');
    const fitSeconds = (performance.now() - t2) / 1000;

    const t3 = performance.now();
    const rebuilt = await rebuildProfiles(store, systemClock, 'default');
    const rebuildSeconds = (performance.now() - t3) / 1000;

    await closeApp(ctx);
    await b.drop();
    results[name] = {
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
    const clear = sealed ? (results[kind] as { stageEventsPerSecond: number }) : null;
    lines.push(
      `${name} ${Math.round(stageRate).toLocaleString('en')} ev/s = ${(stageRate / pureRate).toFixed(2)}x pure core ` +
        `(${Math.round(pureRate).toLocaleString('en')} ev/s), rebuild ${rebuildSeconds.toFixed(1)} s ` +
        `for ${rebuilt.profiles.toLocaleString('en')} profiles, model fit ${fitSeconds.toFixed(2)} s` +
        (clear ? ` (${(stageRate / clear.stageEventsPerSecond).toFixed(2)}x clear)` : ''),
    );
  }
  report('profiles', { results }, `profiles: ${lines.join('; ')}`);
}
