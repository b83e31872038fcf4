// npm run bench -- warm-start [--store sqlite|postgres|both] [--data DIR] [--half]
//
// Time to first recommendation of a process that starts on a store holding the UCI
// Online Retail year (default ../shared/data/online_retail; --half: the first half-year
// file only), with and without the bundle an earlier training saved. Each "process" is a
// fresh app on the same store, built the way `rapport start` builds it (no state shared
// with the one that imported): build, run the first round of the recommendation
// schedule, then ask for the popular items (any answer needs the models).
//   - cold: the saved bundle is removed first, so the round trains from the log;
//   - warm: the round loads the saved bundle (and what the log gained since).
// The ratio cold / warm is what persisting the bundle saves each starting process.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { buildApp, closeApp } from '../src/app/build-app.js';
import { runImport } from '../src/importer/index.js';
import { systemClock } from '../src/shared/index.js';
import type { Store } from '../src/store/index.js';
import { ensureDefaultWorkspace } from '../src/workspaces/index.js';
import { openBenchStore, parseStores } from './_stores.js';
import { report } from './_report.js';

const quiet = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
const SIX_HOURS = 6 * 3_600_000;

/** A new app on the store: ms until it answers with recommendations. */
async function firstRecommendation(store: Store): Promise<{ ms: number; origin: string }> {
  const t0 = performance.now();
  const app = buildApp({ store, clock: systemClock, logger: pino({ level: 'silent' }) });
  try {
    await app.recommendations.scheduled(['default'], SIX_HOURS);
    const popular = app.recommendations.recommend('default', { strategy: 'popular', limit: 10 });
    if (popular.items.length === 0) throw new Error('no recommendations');
    const ms = performance.now() - t0;
    const current = app.recommendations.versions('default').find((v) => v.current);
    return { ms: Math.round(ms), origin: current?.origin ?? 'none' };
  } finally {
    await closeApp(app);
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      store: { type: 'string', default: 'sqlite' },
      data: { type: 'string', default: '../shared/data/online_retail' },
      half: { type: 'boolean', default: false },
      rounds: { type: 'string', default: '3' },
    },
  });
  const files = (
    values.half
      ? ['online_retail_2010-12-01_to_2011-06-24.csv.gz']
      : [
          'online_retail_full_year_no_invoice_stock_part1.csv.gz',
          'online_retail_full_year_no_invoice_stock_part2.csv.gz',
        ]
  ).map((f) => `${values.data}/${f}`);
  const rounds = Number(values.rounds);
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const kind of parseStores(values.store)) {
    const b = await openBenchStore(kind);
    try {
      await ensureDefaultWorkspace(b.store.db, systemClock);
      const loader = buildApp({
        store: b.store,
        clock: systemClock,
        logger: pino({ level: 'silent' }),
      });
      process.stderr.write(`warm-start bench: ${kind}: importing ${files.length} file(s)...\n`);
      await runImport(
        {
          store: b.store,
          writer: loader.writer,
          processor: loader.profiles,
          models: loader.models,
          clock: systemClock,
        },
        {
          kind: 'events',
          files,
          workspaceId: 'default',
          preset: 'online-retail',
          mapping: new Map(),
          rejectsPath: '/dev/null',
          progress: quiet,
        },
      );
      const trained = await loader.recommendations.train('default');
      await closeApp(loader);
      const saved = await b.store.db
        .selectFrom('recommendation_models')
        .select(['bundle', 'version'])
        .executeTakeFirstOrThrow();
      const bundleBytes = saved.bundle?.byteLength ?? 0;
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < rounds; i++) {
        process.stderr.write(`warm-start bench: ${kind}: round ${i + 1} of ${rounds}...\n`);
        const w = await firstRecommendation(b.store);
        if (w.origin !== 'loaded') throw new Error(`warm start ${w.origin}, not loaded`);
        warm.push(w.ms);
        // Cold: nothing saved, as before bundles were persisted (the round saves one again).
        await b.store.db.deleteFrom('recommendation_models').execute();
        const c = await firstRecommendation(b.store);
        if (c.origin !== 'trained') throw new Error(`cold start ${c.origin}, not trained`);
        cold.push(c.ms);
      }
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
      const ratio = Math.round((median(cold) / median(warm)) * 10) / 10;
      results[kind] = {
        interactions: trained.interactions,
        items: trained.items,
        bundleBytes,
        coldMs: cold,
        warmMs: warm,
        coldMedianMs: median(cold),
        warmMedianMs: median(warm),
        ratio,
      };
      lines.push(
        `${kind}: first recommendation ${median(cold)} ms cold (training), ${median(warm)} ms warm (saved bundle, ${Math.round(bundleBytes / 1e5) / 10} MB), ${ratio}x`,
      );
    } finally {
      await b.drop();
    }
  }
  report('warm-start', { files, rounds, stores: results }, `warm-start: ${lines.join('; ')}`);
}
