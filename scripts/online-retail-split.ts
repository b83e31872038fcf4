// Builds the temporal split of UCI Online Retail used to evaluate recommendations:
//
//   node --import tsx scripts/online-retail-split.ts --out /tmp/or-split [--data DIR]
//
// Source: the two full-year files in ../shared/data/online_retail (see SOURCE.md
// there). They have no InvoiceNo/StockCode, so the item key is the product Description
// (trimmed, inner whitespace collapsed). Kept: rows with a CustomerID, Quantity > 0,
// UnitPrice > 0 and a real product (postage, fees, manual adjustments dropped).
// InvoiceDate is UK local time without a zone; it is read as UTC.
//
// Writes, all with header user_id,item_id,timestamp,event_type,quantity (epoch seconds):
//   train.csv             purchases before --cut (default 2011-09-01)
//   test.csv              purchases from --cut on, by customers who are in train.csv, of
//                         items that customer did not buy before --cut; one row per
//                         (customer, item), its first purchase
//   validation/train.csv  purchases before --validation-cut (default 2011-06-01)
//   validation/test.csv   the same rule for [--validation-cut, --cut)
//   catalog.jsonl         one CatalogItem per item in train.csv (title, median price)
//   validation/catalog.jsonl  the same for validation/train.csv
//   split.json            the parameters and row/customer/item counts
//
// With --report it then reproduces the quality table of docs/recommendations.md: it
// tunes λ of a reference EASE (binary, every item, no decay, no pruning) and λ and the
// half-life of `personalized` on the validation split (by NDCG@10), evaluates every
// strategy on the test split exactly as `rapport eval recs` does, and prints the table
// (also written to report.json). A few minutes on two cores.
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import {
  CatalogItem,
  Recommender,
  evaluate,
  heldOutTruth,
  itemPopularity,
  readInteractionsCsv,
  recommendAll,
  train,
  type Evaluation,
  type Interaction,
  type Model,
  type ModelConfigInput,
} from '../src/recommend/index.js';
import { pairedNdcgDifference } from '../src/recommend/evaluate.js';

const FILES = [
  'online_retail_full_year_no_invoice_stock_part1.csv.gz',
  'online_retail_full_year_no_invoice_stock_part2.csv.gz',
];
/** Descriptions that are not products: postage, fees, manual adjustments. */
export const NON_PRODUCTS = new Set([
  'POSTAGE',
  'DOTCOM POSTAGE',
  'CARRIAGE',
  'Next Day Carriage',
  'PACKING CHARGE',
  'Manual',
  'Bank Charges',
  'AMAZON FEE',
  'SAMPLES',
  'CRUK Commission',
  'Adjust bad debt',
  'Discount',
  'High Resolution Image',
  'PADS TO MATCH ALL CUSHIONS',
]);

export interface Purchase {
  user: string;
  item: string;
  /** Epoch seconds. */
  t: number;
  quantity: number;
  price: number;
}

export interface SplitOptions {
  data: string;
  out: string;
  cut: string;
  validationCut: string;
  report: boolean;
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export function parseArgs(args: string[]): SplitOptions {
  const out = arg(args, '--out');
  if (!out) {
    console.error(
      'Usage: node --import tsx scripts/online-retail-split.ts --out DIR [--data DIR] [--cut YYYY-MM-DD] [--validation-cut YYYY-MM-DD] [--report]',
    );
    process.exit(2);
  }
  return {
    out,
    data: arg(args, '--data') ?? '../shared/data/online_retail',
    cut: arg(args, '--cut') ?? '2011-09-01',
    validationCut: arg(args, '--validation-cut') ?? '2011-06-01',
    report: args.includes('--report'),
  };
}

/** Reads and filters the purchases of both full-year files, in file order. */
export async function readPurchases(dataDir: string): Promise<Purchase[]> {
  const out: Purchase[] = [];
  for (const f of FILES) {
    const rows = createReadStream(join(dataDir, f))
      .pipe(createGunzip())
      .pipe(parse({ columns: true }));
    for await (const r of rows as AsyncIterable<Record<string, string>>) {
      const item = (r.Description ?? '').trim().replace(/\s+/g, ' ');
      const quantity = Number(r.Quantity);
      const price = Number(r.UnitPrice);
      if (!r.CustomerID || !item || NON_PRODUCTS.has(item)) continue;
      if (!(quantity > 0) || !(price > 0)) continue;
      const t = Date.parse(`${r.InvoiceDate!.replace(' ', 'T')}:00Z`) / 1000;
      if (!Number.isFinite(t)) throw new Error(`${f}: bad InvoiceDate "${r.InvoiceDate}"`);
      out.push({ user: r.CustomerID, item, t, quantity, price });
    }
  }
  return out;
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function writeCsv(path: string, rows: readonly Purchase[]): void {
  const lines = ['user_id,item_id,timestamp,event_type,quantity'];
  for (const p of rows) lines.push(`${p.user},${csvField(p.item)},${p.t},purchase,${p.quantity}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function writeCatalog(path: string, rows: readonly Purchase[]): void {
  const prices = new Map<string, number[]>();
  for (const p of rows) {
    let list = prices.get(p.item);
    if (!list) prices.set(p.item, (list = []));
    list.push(p.price);
  }
  const lines = [...prices].map(([id, ps]) => {
    ps.sort((a, b) => a - b);
    return JSON.stringify({ id, title: id, price: ps[ps.length >> 1], currency: 'GBP' });
  });
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Train = before the cut; test = each train customer's first purchase of a new item after. */
export function temporalSplit(
  rows: readonly Purchase[],
  cutSeconds: number,
  endSeconds = Infinity,
): { train: Purchase[]; test: Purchase[] } {
  const train = rows.filter((p) => p.t < cutSeconds);
  const had = new Map<string, Set<string>>();
  for (const p of train) {
    let s = had.get(p.user);
    if (!s) had.set(p.user, (s = new Set()));
    s.add(p.item);
  }
  const later = rows.filter((p) => p.t >= cutSeconds && p.t < endSeconds).sort((a, b) => a.t - b.t);
  const test: Purchase[] = [];
  const seen = new Set<string>();
  for (const p of later) {
    const bought = had.get(p.user);
    const key = `${p.user}\u0000${p.item}`;
    if (!bought || bought.has(p.item) || seen.has(key)) continue;
    seen.add(key);
    test.push(p);
  }
  return { train, test };
}

const stats = (rows: readonly Purchase[]) => ({
  rows: rows.length,
  customers: new Set(rows.map((p) => p.user)).size,
  items: new Set(rows.map((p) => p.item)).size,
});

export async function buildSplit(o: SplitOptions): Promise<Record<string, unknown>> {
  const rows = await readPurchases(o.data);
  const cut = Date.parse(`${o.cut}T00:00:00Z`) / 1000;
  const vcut = Date.parse(`${o.validationCut}T00:00:00Z`) / 1000;
  if (!(vcut < cut)) throw new Error('--validation-cut must be before --cut');
  const main = temporalSplit(rows, cut);
  const validation = temporalSplit(main.train, vcut, cut);
  mkdirSync(join(o.out, 'validation'), { recursive: true });
  writeCsv(join(o.out, 'train.csv'), main.train);
  writeCsv(join(o.out, 'test.csv'), main.test);
  writeCatalog(join(o.out, 'catalog.jsonl'), main.train);
  writeCsv(join(o.out, 'validation', 'train.csv'), validation.train);
  writeCsv(join(o.out, 'validation', 'test.csv'), validation.test);
  writeCatalog(join(o.out, 'validation', 'catalog.jsonl'), validation.train);
  const summary = {
    source: o.data,
    cut: o.cut,
    validationCut: o.validationCut,
    kept: stats(rows),
    train: stats(main.train),
    test: stats(main.test),
    validationTrain: stats(validation.train),
    validationTest: stats(validation.test),
  };
  writeFileSync(join(o.out, 'split.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

// ---- the quality report -------------------------------------------------------------

const K = 20;
const BOOTSTRAP = 1000;
/** The reference: textbook EASE on the binary matrix, every item, no decay, no pruning. */
const REFERENCE = {
  strategy: 'personalized',
  algorithm: 'ease',
  minSupport: 1,
  topK: null,
  halfLifeDays: null,
  maxHistory: 1_000_000,
} as const;
const REFERENCE_LAMBDAS = [50, 100, 200, 300, 500, 1000, 2000];
const LAMBDAS = [100, 200, 300, 500];
const HALF_LIVES = [null, 15, 30, 60, 120];

interface Split {
  train: Interaction[];
  truth: Map<string, Set<string>>;
  catalog: CatalogItem[];
  now: number;
  popularity: Map<string, number>;
}

async function loadSplit(dir: string): Promise<Split> {
  const train = (await readInteractionsCsv(join(dir, 'train.csv'), { strict: true })).interactions;
  const test = (await readInteractionsCsv(join(dir, 'test.csv'), { strict: true })).interactions;
  let now = -Infinity;
  for (const x of train) if (x.timestamp > now) now = x.timestamp;
  const catalog = [...new Set(train.map((x) => x.itemId))].map((id) => CatalogItem.parse({ id }));
  return {
    train,
    truth: heldOutTruth(train, test),
    catalog,
    now,
    popularity: itemPopularity(train),
  };
}

interface Run {
  label: string;
  recs: Map<string, string[]>;
  metrics: Evaluation;
  trainSeconds: number;
}

/**
 * Trains `config` (plus the history and the default popularity fill, as the CLI does)
 * and evaluates `strategy` on the split.
 */
function runStrategy(
  split: Split,
  label: string,
  config: ModelConfigInput | null,
  strategy: string,
  bootstrap = BOOTSTRAP,
): Run {
  const models: Model[] = [
    train(
      { strategy: 'history', maxItemsPerUser: 1_000_000 },
      split.train,
      split.catalog,
      split.now,
    ),
  ];
  let trainSeconds = 0;
  if (config) {
    const t0 = performance.now();
    models.push(train(config, split.train, split.catalog, split.now));
    trainSeconds = (performance.now() - t0) / 1000;
  }
  if (!config || (config.name ?? config.strategy) !== 'popular') {
    models.push(train({ strategy: 'popular' }, split.train, split.catalog, split.now));
  }
  const recommender = new Recommender({ catalog: split.catalog, models });
  const recs = recommendAll(recommender, split.truth.keys(), strategy, K, split.now);
  const metrics = evaluate(recs, split.truth, {
    k: K,
    catalog: split.catalog.map((c) => c.id),
    popularity: split.popularity,
    bootstrap,
    seed: 1,
  });
  return { label, recs, metrics, trainSeconds };
}

function tune<T>(
  split: Split,
  candidates: T[],
  config: (c: T) => ModelConfigInput,
  describe: (c: T) => string,
): T {
  let best: T = candidates[0]!;
  let bestNdcg = -1;
  for (const c of candidates) {
    const run = runStrategy(split, describe(c), config(c), 'personalized', 0);
    console.error(`  validation ${describe(c)}: NDCG@10 ${run.metrics.ndcg.value.toFixed(4)}`);
    if (run.metrics.ndcg.value > bestNdcg) {
      bestNdcg = run.metrics.ndcg.value;
      best = c;
    }
  }
  return best;
}

const ci = (e: { value: number; low: number; high: number }) =>
  `${e.value.toFixed(4)} [${e.low.toFixed(4)}, ${e.high.toFixed(4)}]`;

export async function report(out: string): Promise<Record<string, unknown>> {
  const validation = await loadSplit(join(out, 'validation'));
  console.error('tuning the reference EASE (λ)...');
  const refLambda = tune(
    validation,
    REFERENCE_LAMBDAS,
    (lambda) => ({ ...REFERENCE, lambda }),
    (l) => `reference λ=${l}`,
  );
  console.error('tuning personalized (λ, half-life)...');
  const grid = LAMBDAS.flatMap((lambda) =>
    HALF_LIVES.map((halfLifeDays) => ({ lambda, halfLifeDays })),
  );
  const tuned = tune(
    validation,
    grid,
    (p) => ({ strategy: 'personalized', ...p }),
    (p) => `personalized λ=${p.lambda} half-life=${p.halfLifeDays ?? '∞'}`,
  );

  const test = await loadSplit(out);
  console.error('evaluating on the test split...');
  const baseline = runStrategy(
    test,
    'popularity (all-time)',
    { strategy: 'popular', name: 'popularity', halfLifeDays: null },
    'popularity',
  );
  const runs: Run[] = [
    baseline,
    runStrategy(test, 'popular (30-day half-life)', { strategy: 'popular' }, 'popular'),
    runStrategy(test, 'trending (3-day half-life)', { strategy: 'trending' }, 'trending'),
    runStrategy(
      test,
      'bought_together (recent items)',
      { strategy: 'bought_together' },
      'bought_together',
    ),
    runStrategy(
      test,
      'implicit ALS (defaults)',
      { strategy: 'personalized', algorithm: 'als' },
      'personalized',
    ),
    runStrategy(
      test,
      `reference EASE (λ=${refLambda})`,
      { ...REFERENCE, lambda: refLambda },
      'personalized',
    ),
    runStrategy(
      test,
      `personalized (λ=${tuned.lambda}, half-life ${tuned.halfLifeDays ?? '∞'} d)`,
      { strategy: 'personalized', ...tuned },
      'personalized',
    ),
  ];
  const reference = runs[5]!;
  const personalized = runs[6]!;
  const diff = pairedNdcgDifference(personalized.recs, reference.recs, test.truth, 10, {
    bootstrap: BOOTSTRAP,
    seed: 1,
  });

  const lines = [
    `| strategy | Recall@${K} | NDCG@10 | HitRate@10 | coverage | popularity bias | NDCG ÷ popularity | training |`,
    '|---|---|---|---|---|---|---|---|',
    ...runs.map((r) => {
      const m = r.metrics;
      const ratio = m.ndcg.value / baseline.metrics.ndcg.value;
      return `| ${r.label} | ${ci(m.recall)} | ${ci(m.ndcg)} | ${ci(m.hitRate)} | ${m.coverage.toFixed(3)} | ${m.popularityBias.value.toFixed(3)} | ${ratio.toFixed(2)}× | ${r.trainSeconds.toFixed(1)} s |`;
    }),
  ];
  console.log(lines.join('\n'));
  console.log(
    `\n${test.truth.size} test customers; personalized − reference NDCG@10 = ${ci(diff)} (paired bootstrap).`,
  );
  const result = {
    tuned: { reference: { lambda: refLambda }, personalized: tuned },
    testCustomers: test.truth.size,
    validationCustomers: validation.truth.size,
    rows: runs.map((r) => ({ label: r.label, trainSeconds: r.trainSeconds, ...r.metrics })),
    personalizedMinusReferenceNdcg: diff,
  };
  writeFileSync(join(out, 'report.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseArgs(process.argv.slice(2));
  const summary = await buildSplit(options);
  console.error(JSON.stringify(summary, null, 2));
  if (options.report) await report(options.out);
}
