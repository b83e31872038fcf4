import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ValidationError } from '../shared/index.js';
import { Progress } from './eval-progress.js';
import {
  CatalogItem,
  Recommender,
  evaluate,
  formatTuning,
  heldOutTruth,
  PersonalizedConfig,
  tuneConfig,
  itemPopularity,
  readInteractionsCsv,
  recommendAll,
  train,
  type Evaluation,
  type Interaction,
  type Model,
  type ModelConfigInput,
  type ReadResult,
  type RowProblem,
  type TuningReport,
} from '../recommend/index.js';

/** Strategies `rapport eval recs --strategy` accepts. */
export const EVAL_STRATEGIES = [
  'auto',
  'personalized',
  'popular',
  'trending',
  'bought_together',
  'viewed_together',
  'similar',
  'recently_viewed',
] as const;

export interface EvalRecsOptions {
  train: string;
  test: string;
  strategy: string;
  k: number;
  out?: string | undefined;
  catalog?: string | undefined;
  /** JSON object merged into the chosen strategy's model config (no tuning then). */
  params?: string | undefined;
  /**
   * Choose personalized's parameters on a validation tail of TRAIN first (default on;
   * `auto` and `personalized` only; `--params` turns it off).
   */
  tune?: boolean | undefined;
  bootstrap: number;
  seed: number;
  strict: boolean;
  json: boolean;
}

export interface EvalRecsResult {
  strategy: string;
  users: number;
  catalogItems: number;
  k: number;
  trainRows: { read: number; skipped: number; problems: RowProblem[] };
  testRows: { read: number; skipped: number; problems: RowProblem[] };
  trainingSeconds: Record<string, number>;
  baselineTrainingSeconds: number;
  strategyMetrics: Evaluation;
  popularityMetrics: Evaluation;
  /** How personalized's parameters were chosen on TRAIN's tail (null: not tuned). */
  tuning: TuningReport | null;
}

/** The models the chosen strategy needs (its chain and the popularity fill). */
function modelsFor(
  strategy: string,
  params: Record<string, unknown>,
  personalized: ModelConfigInput | null,
): ModelConfigInput[] {
  const withParams = (c: ModelConfigInput) =>
    c.strategy === 'personalized' && personalized ? personalized : { ...c, ...params };
  const history: ModelConfigInput = { strategy: 'history', maxItemsPerUser: 1_000_000 };
  const popular: ModelConfigInput = { strategy: 'popular' };
  switch (strategy) {
    case 'auto':
      return [
        history,
        withParams({ strategy: 'personalized' }),
        { strategy: 'bought_together' },
        popular,
      ];
    case 'recently_viewed':
      return [history, popular];
    case 'popular':
      return [history, withParams(popular)];
    default:
      return [history, withParams({ strategy } as ModelConfigInput), popular];
  }
}

function readCatalog(path: string): CatalogItem[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const items: CatalogItem[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ValidationError(`${path}: line ${i + 1}: not valid JSON`, [
        { path: `line ${i + 1}`, problem: 'not valid JSON' },
      ]);
    }
    const parsed = CatalogItem.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const problem = `${issue.path.join('.') || '(item)'}: ${issue.message}`;
      throw new ValidationError(`${path}: line ${i + 1}: ${problem}`, [
        { path: `line ${i + 1}`, problem },
      ]);
    }
    items.push(parsed.data);
  });
  return items;
}

function parseParams(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError('--params is not valid JSON', [
      { path: '--params', problem: 'not valid JSON' },
    ]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('--params must be a JSON object', [
      { path: '--params', problem: 'must be a JSON object, e.g. {"lambda": 300}' },
    ]);
  }
  return value as Record<string, unknown>;
}

function reportSkipped(p: Progress, file: string, r: ReadResult): void {
  if (r.skipped === 0) return;
  p.warn(`${file}: skipped ${r.skipped} of ${r.rows} rows:`);
  for (const problem of r.problems) p.warn(`  line ${problem.line}: ${problem.problem}`);
  if (r.skipped > r.problems.length) p.warn(`  ... and ${r.skipped - r.problems.length} more`);
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * `rapport eval recs`: trains on TRAIN only, recommends the top k for every person in
 * both files (excluding what they had in TRAIN), writes them as JSON lines, and returns
 * the metrics of the strategy next to all-time popularity.
 */
export async function runEvalRecs(o: EvalRecsOptions): Promise<EvalRecsResult> {
  if (!(EVAL_STRATEGIES as readonly string[]).includes(o.strategy)) {
    throw new ValidationError(`unknown strategy "${o.strategy}"`, [
      { path: '--strategy', problem: `must be one of ${EVAL_STRATEGIES.join(', ')}` },
    ]);
  }
  if (!Number.isInteger(o.k) || o.k < 1 || o.k > 500) {
    throw new ValidationError('--k must be an integer from 1 to 500', [
      { path: '--k', problem: 'out of range' },
    ]);
  }
  const params = parseParams(o.params);
  const progress = new Progress(o.json);
  const read = async (file: string) => {
    progress.start(`reading ${file.split('/').pop()}`, 100);
    const r = await readInteractionsCsv(file, {
      strict: o.strict,
      onProgress: (done, total) => progress.update(Math.round((100 * done) / total)),
    });
    progress.stop();
    reportSkipped(progress, file, r);
    return r;
  };
  const trainData = await read(o.train);
  const testData = await read(o.test);
  const trainRows: Interaction[] = trainData.interactions;
  if (trainRows.length === 0) {
    throw new ValidationError(`${o.train}: no usable rows to train on`, [
      { path: '--train', problem: 'empty' },
    ]);
  }
  const catalog = o.catalog
    ? readCatalog(o.catalog)
    : [...new Set(trainRows.map((x) => x.itemId))].map((id) => CatalogItem.parse({ id }));
  let now = -Infinity;
  for (const x of trainRows) if (x.timestamp > now) now = x.timestamp;

  // Explicit parameters are the caller's choice: tuning would override them.
  let tuning: TuningReport | null = null;
  let personalized: ModelConfigInput | null = null;
  const tunable = o.strategy === 'auto' || o.strategy === 'personalized';
  if (tunable && o.tune !== false && o.params === undefined) {
    progress.note('tuning personalized on the latest 15% of TRAIN...');
    const tuned = tuneConfig(
      PersonalizedConfig.parse({ strategy: 'personalized' }),
      trainRows,
      catalog,
      now,
      {},
    );
    ({ tuning } = tuned);
    personalized = tuned.config;
  }

  const models: Model[] = [];
  const trainingSeconds: Record<string, number> = {};
  for (const config of modelsFor(o.strategy, params, personalized)) {
    const name = config.name ?? config.strategy;
    progress.note(`training ${name}...`);
    const t0 = performance.now();
    models.push(train(config, trainRows, catalog, now));
    trainingSeconds[name] = seconds(performance.now() - t0);
  }
  const t0 = performance.now();
  const baseline = train(
    { strategy: 'popular', name: 'popularity', halfLifeDays: null },
    trainRows,
    catalog,
    now,
  );
  const baselineTrainingSeconds = seconds(performance.now() - t0);
  const recommender = new Recommender({ catalog, models: [...models, baseline] });

  const truth = heldOutTruth(trainRows, testData.interactions);
  const users = [...truth.keys()];
  progress.start('recommending', users.length);
  const recs = recommendAll(recommender, users, o.strategy, o.k, now, (n) => {
    if (n % 100 === 0) progress.update(n);
  });
  progress.update(users.length);
  progress.stop();
  const popular = recommendAll(recommender, users, 'popularity', o.k, now);
  if (o.out) {
    await writeFile(
      o.out,
      users.map((u) => JSON.stringify({ user: u, items: recs.get(u) ?? [] })).join('\n') +
        (users.length ? '\n' : ''),
    );
  }
  const evalOptions = {
    k: o.k,
    catalog: catalog.map((c) => c.id),
    popularity: itemPopularity(trainRows),
    bootstrap: o.bootstrap,
    seed: o.seed,
  };
  return {
    strategy: o.strategy,
    users: users.length,
    catalogItems: catalog.length,
    k: o.k,
    trainRows: { read: trainData.rows, skipped: trainData.skipped, problems: trainData.problems },
    testRows: { read: testData.rows, skipped: testData.skipped, problems: testData.problems },
    trainingSeconds,
    baselineTrainingSeconds,
    strategyMetrics: evaluate(recs, truth, evalOptions),
    popularityMetrics: evaluate(popular, truth, evalOptions),
    tuning,
  };
}

const fmt = (x: number) => x.toFixed(4);

/** The human-readable report. */
export function formatEvalReport(r: EvalRecsResult): string {
  const s = r.strategyMetrics;
  const p = r.popularityMetrics;
  const rows: [string, keyof Evaluation][] = [
    [`Recall@${s.k}`, 'recall'],
    [`NDCG@${s.ndcgK}`, 'ndcg'],
    [`HitRate@${s.hitK}`, 'hitRate'],
    [`Coverage@${s.k}`, 'coverage'],
    [`PopularityBias@${s.k}`, 'popularityBias'],
  ];
  const value = (e: Evaluation, key: keyof Evaluation) => {
    const v = e[key];
    return typeof v === 'number' ? v : (v as { value: number }).value;
  };
  const cell = (e: Evaluation, key: keyof Evaluation) => {
    const v = e[key];
    if (typeof v === 'number') return fmt(v);
    const { low, high } = v as { low: number; high: number };
    return `${fmt(value(e, key))} [${fmt(low)}, ${fmt(high)}]`;
  };
  const lines = [
    `Evaluated ${r.users} people (in both files, with new items in test); catalog ${r.catalogItems} items; k = ${r.k}.`,
    `${'metric'.padEnd(20)}${r.strategy.padEnd(28)}${'popularity (all-time)'.padEnd(28)}ratio`,
  ];
  for (const [label, key] of rows) {
    const a = value(s, key);
    const b = value(p, key);
    const ratio = b > 0 ? `${(a / b).toFixed(2)}x` : '-';
    lines.push(`${label.padEnd(20)}${cell(s, key).padEnd(28)}${cell(p, key).padEnd(28)}${ratio}`);
  }
  const times = Object.entries(r.trainingSeconds)
    .map(([name, t]) => `${name} ${t.toFixed(2)} s`)
    .join(', ');
  lines.push('95% bootstrap intervals over people in brackets (coverage is a whole-set figure).');
  lines.push(`Training: ${times}; popularity ${r.baselineTrainingSeconds.toFixed(2)} s.`);
  if (r.trainRows.skipped || r.testRows.skipped) {
    lines.push(`Skipped bad rows: train ${r.trainRows.skipped}, test ${r.testRows.skipped}.`);
  }
  return `${lines.join('\n')}\n${r.tuning ? formatTuning(r.tuning) : ''}`;
}

/**
 * Adds `eval recs` to a commander program (creating `eval` if no one has yet).
 * @example
 * const program = new Command('rapport');
 * registerEvalCommand(program);
 * await program.parseAsync(['node', 'rapport', 'eval', 'recs', '--train', 'a.csv', '--test', 'b.csv']);
 */
export function registerEvalCommand(program: Command): void {
  const evalCmd =
    program.commands.find((c) => c.name() === 'eval') ??
    program.command('eval').description('Evaluate models offline.');
  evalCmd
    .command('recs')
    .description(
      'Train recommendations on TRAIN, recommend the top k to everyone also in TEST, and compare with popularity.',
    )
    .requiredOption(
      '--train <file>',
      'CSV user_id,item_id,timestamp[,event_type][,quantity] (.gz ok)',
    )
    .requiredOption('--test <file>', 'CSV with the same columns, later in time')
    .option('--strategy <name>', `one of ${EVAL_STRATEGIES.join(', ')}`, 'auto')
    .option('--k <n>', 'list length (Recall@k; NDCG and HitRate at min(10, k))', '20')
    .option('--out <file>', 'write {"user","items"} JSON lines here')
    .option('--catalog <file>', 'JSON lines of catalog items (default: the items in TRAIN)')
    .option(
      '--params <json>',
      'model parameters for the strategy, e.g. {"lambda":300} (then no tuning)',
    )
    .option('--no-tune', "keep personalized's defaults instead of tuning on TRAIN's tail")
    .option('--bootstrap <n>', 'bootstrap resamples for the intervals', '1000')
    .option('--seed <n>', 'bootstrap seed', '1')
    .option('--strict', 'stop at the first bad CSV row instead of skipping it')
    .option('--json', 'print the result as JSON')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const num = (name: string) => {
        const v = Number(opts[name]);
        if (!Number.isInteger(v) || v < 0) {
          throw new ValidationError(`--${name} must be a non-negative integer`, [
            { path: `--${name}`, problem: `got "${String(opts[name])}"` },
          ]);
        }
        return v;
      };
      const result = await runEvalRecs({
        train: String(opts.train),
        test: String(opts.test),
        strategy: String(opts.strategy),
        k: num('k'),
        out: opts.out as string | undefined,
        catalog: opts.catalog as string | undefined,
        params: opts.params as string | undefined,
        tune: opts.tune !== false,
        bootstrap: num('bootstrap'),
        seed: num('seed'),
        strict: opts.strict === true,
        json: opts.json === true,
      });
      process.stdout.write(
        opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatEvalReport(result),
      );
    });
}
