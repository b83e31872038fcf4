// The quality table of docs/recommendations.md ("Tuned on each data set's own tail"):
//
//   node --import tsx scripts/recs-quality.ts [--data ../shared/data/online_retail]
//        [--sets online-retail,ratings,basket] [--oracle] [--timing] [--out report.json]
//
// For each data set it splits on time (train before the cut, test = each train person's
// items new to them after it), then evaluates on test, exactly as `rapport eval recs`
// does: all-time popularity, item-kNN (cosine over people, seeded by each person's five
// latest items), `personalized` with its defaults, and `personalized` tuned on the
// latest 15% of train (what every training now does). --oracle also retrains every
// setting the tuner tried on all of train and scores it on test: the best of them is
// the "best setting" the tuned model is compared with. --timing trains the default
// bundle on the whole Online Retail year with and without tuning.
//
// Data sets: Online Retail (UCI 352, CC BY 4.0; ../shared/data/online_retail), and two
// synthetic logs from test/factories/recs-synthetic.ts (seeded; no real people): a
// MovieLens-like one (three years of 1-5 ratings of stable taste, ratings >= 4 kept as
// positives) and a basket one (views, carts and purchases of interest that drifts).
import { writeFileSync } from 'node:fs';
import {
  CatalogItem,
  PersonalizedConfig,
  Recommender,
  evaluate,
  heldOutTruth,
  itemPopularity,
  recommendAll,
  train,
  tuneConfig,
  type Interaction,
  type ModelConfigInput,
  type TuningReport,
} from '../src/recommend/index.js';
import { trainTuned } from '../src/recommend/train-tuned.js';
import { withParams } from '../src/recommend/tune.js';
import { BASKET, RATINGS, syntheticLog } from '../test/factories/recs-synthetic.js';
import { readPurchases } from './online-retail-split.js';

const K = 20;
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dataDir = arg('--data') ?? '../shared/data/online_retail';
const sets = (arg('--sets') ?? 'online-retail,ratings,basket').split(',');
const oracle = process.argv.includes('--oracle');

interface DataSet {
  name: string;
  train: Interaction[];
  test: Interaction[];
}

async function onlineRetail(): Promise<{ all: Interaction[]; cut: number }> {
  const rows = await readPurchases(dataDir);
  const all = rows.map((p) => ({
    userId: p.user,
    itemId: p.item,
    timestamp: p.t * 1000,
    kind: 'purchase' as const,
    quantity: p.quantity,
  }));
  return { all, cut: Date.UTC(2011, 8, 1) };
}

/** Synthetic sets: the last 20% of the time span is test. */
function timeSplit(name: string, all: Interaction[], cut?: number): DataSet {
  const first = all[0]!.timestamp;
  const last = all.at(-1)!.timestamp;
  const at = cut ?? first + 0.8 * (last - first);
  return {
    name,
    train: all.filter((x) => x.timestamp < at),
    test: all.filter((x) => x.timestamp >= at),
  };
}

// The machine these numbers come from is shared, so time is measured both on the wall
// and as this process's CPU time (training is single-threaded and synchronous here).
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function run(d: DataSet) {
  let now = -Infinity;
  for (const x of d.train) if (x.timestamp > now) now = x.timestamp;
  const catalog = [...new Set(d.train.map((x) => x.itemId))].map((id) => CatalogItem.parse({ id }));
  const truth = heldOutTruth(d.train, d.test);
  const options = {
    k: K,
    catalog: catalog.map((c) => c.id),
    popularity: itemPopularity(d.train),
    bootstrap: 1000,
  };
  const fixed = [
    train({ strategy: 'history', maxItemsPerUser: 1_000_000 }, d.train, catalog, now),
    train({ strategy: 'popular' }, d.train, catalog, now),
  ];
  const score = (name: string, config: ModelConfigInput) => {
    const c0 = cpu();
    const model = train({ ...config, name }, d.train, catalog, now);
    const trainSeconds = cpu() - c0;
    const rec = new Recommender({ catalog, models: [...fixed, model] });
    const e = evaluate(recommendAll(rec, truth.keys(), name, K, now), truth, options);
    process.stderr.write(`  ${d.name} ${name}: NDCG@10 ${e.ndcg.value.toFixed(4)}\n`);
    return { name, ndcg: e.ndcg, recall: e.recall, coverage: e.coverage, trainSeconds };
  };
  const defaults = PersonalizedConfig.parse({ strategy: 'personalized' });
  const c0 = cpu();
  const tuned = tuneConfig(defaults, d.train, catalog, now, {});
  const tuneSeconds = cpu() - c0;
  const rows = [
    score('popularity', { strategy: 'popular', halfLifeDays: null }),
    score('item_knn', {
      strategy: 'bought_together',
      scope: 'user',
      kinds: ['view', 'cart', 'purchase'],
    }),
    score('personalized_defaults', defaults),
    { ...score('personalized_tuned', tuned.config), tuneSeconds },
  ];
  const best = oracle ? oracleOf(tuned.tuning, defaults, score) : null;
  return {
    name: d.name,
    train: d.train.length,
    people: truth.size,
    items: catalog.length,
    rows,
    tuning: tuned.tuning,
    best,
  };
}

/** Every setting the tuner tried, trained on all of train and scored on test. */
function oracleOf(
  tuning: TuningReport,
  defaults: PersonalizedConfig,
  score: (name: string, c: ModelConfigInput) => { ndcg: { value: number } },
) {
  const out = tuning.candidates.map((c, i) => ({
    params: c.params,
    validationNdcg: c.ndcg,
    testNdcg: score(`candidate_${i}`, withParams(defaults, c.params)).ndcg.value,
  }));
  return out;
}

async function main() {
  const report: Record<string, unknown>[] = [];
  for (const name of sets) {
    process.stderr.write(`${name}...\n`);
    let d: DataSet;
    if (name === 'online-retail') {
      const { all, cut } = await onlineRetail();
      d = timeSplit(name, all, cut);
    } else if (name === 'ratings') d = timeSplit(name, syntheticLog({ ...RATINGS, seed: 1 }));
    else if (name === 'basket') d = timeSplit(name, syntheticLog({ ...BASKET, seed: 1 }));
    else throw new Error(`unknown data set ${name}`);
    const r = run(d);
    report.push(r);
    printSet(r);
  }
  if (process.argv.includes('--timing')) report.push(timing(await onlineRetail()));
  const out = arg('--out');
  if (out) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
}

function timing({ all }: { all: Interaction[] }) {
  const catalog = [...new Set(all.map((x) => x.itemId))].map((id) => ({ id }));
  const now = all.reduce((m, x) => Math.max(m, x.timestamp), -Infinity);
  let t0 = performance.now();
  let c0 = cpu();
  trainTuned(undefined, all, catalog, now, false);
  const plain = { wall: seconds(t0), cpu: cpu() - c0 };
  t0 = performance.now();
  c0 = cpu();
  const { tuning } = trainTuned(undefined, all, catalog, now, {});
  const tuned = { wall: seconds(t0), cpu: cpu() - c0 };
  const line =
    `Online Retail, whole year (${all.length} purchases): default bundle untuned ${plain.cpu.toFixed(1)} s CPU (${plain.wall.toFixed(1)} s wall), ` +
    `tuned ${tuned.cpu.toFixed(1)} s CPU (${tuned.wall.toFixed(1)} s wall; ${tuning!.candidates.length} settings tried)`;
  process.stdout.write(`${line}\n`);
  return { name: 'timing', interactions: all.length, plain, tuned, tuning };
}

const f = (x: number) => x.toFixed(4);

function printSet(r: ReturnType<typeof run>) {
  const lines = [
    `\n${r.name}: ${r.train} train interactions, ${r.items} items, ${r.people} test people`,
  ];
  for (const row of r.rows) {
    lines.push(
      `  ${row.name.padEnd(24)} NDCG@10 ${f(row.ndcg.value)} [${f(row.ndcg.low)}, ${f(row.ndcg.high)}]` +
        `  Recall@20 ${f(row.recall.value)}  coverage ${row.coverage.toFixed(3)}  train ${row.trainSeconds.toFixed(1)} s CPU` +
        ('tuneSeconds' in row ? `  (tuning ${row.tuneSeconds.toFixed(1)} s CPU)` : ''),
    );
  }
  const c = r.tuning.chosen;
  lines.push(
    `  chosen: half-life ${c.halfLifeDays ?? 'none'}, λ ${c.lambda}, min support ${c.minSupport}, view/cart ${c.weights.view}/${c.weights.cart}`,
  );
  if (r.best) {
    const top = Math.max(...r.best.map((b) => b.testNdcg));
    lines.push(`  best setting tried, on test: NDCG@10 ${f(top)}`);
    for (const b of r.best)
      lines.push(
        `    h ${b.params.halfLifeDays ?? 'none'} λ ${b.params.lambda} m ${b.params.minSupport} v ${b.params.weights.view}: validation ${f(b.validationNdcg)} test ${f(b.testNdcg)}`,
      );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
