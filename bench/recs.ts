// npm run bench -- recs [DATA_DIR] [--requests 20000]
//
// The recommendation core on UCI Online Retail (default ../shared/data/online_retail,
// the two full-year part files, filtered as scripts/online-retail-split.ts does; trained
// on the purchases before 2011-09-01, ~3,300 customers and ~3,500 products). In one run:
//   - per strategy: training time, the memory the trained model keeps (heap + array
//     buffers after a GC) and the peak RSS so far;
//   - training the whole default bundle on a worker thread, with the main thread's
//     event-loop delay meanwhile (training must stay off the request path);
//   - in-memory recommend() calls/s and p50/p99 latency for a known customer (auto →
//     personalized), an anonymous visitor with three viewed items, a product page and
//     popular-in-a-price-range, against a trivial baseline measured in the same loop:
//     returning ten precomputed popular items. The ratios are reported.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  Recommender,
  train,
  type Interaction,
  type Model,
  type ModelConfigInput,
} from '../src/recommend/index.js';
import { defaultModelConfigs } from '../src/recommend/model-config.js';
import { trainInWorker } from '../src/recommend/train-worker.js';
import type { CatalogItemInput } from '../src/recommend/schemas.js';
import type { RecommendRequestInput } from '../src/recommend/request.js';
import { readPurchases } from '../scripts/online-retail-split.js';
import { report } from './_report.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const CUT = Date.UTC(2011, 8, 1);

/** Heap plus array buffers after a full GC (twice, with a pause: big buffers are freed lazily). */
async function memory(): Promise<number> {
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;

interface Latency {
  callsPerSecond: number;
  p50Us: number;
  p99Us: number;
}

/** Runs `fn` over the inputs round-robin for `n` calls, timing each call. */
function measure<T>(inputs: readonly T[], n: number, fn: (x: T) => unknown): Latency {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(inputs[i % inputs.length]!); // warm up
  const times = new Float64Array(n);
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn(inputs[i % inputs.length]!);
    times[i] = performance.now() - t0;
  }
  const total = performance.now() - start;
  times.sort();
  return {
    callsPerSecond: Math.round(n / (total / 1000)),
    p50Us: Math.round(times[Math.floor(0.5 * n)]! * 10000) / 10,
    p99Us: Math.round(times[Math.floor(0.99 * n)]! * 10000) / 10,
  };
}

export async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { requests: { type: 'string', default: '20000' } },
  });
  const dataDir = positionals[0] ?? '../shared/data/online_retail';
  const requests = Number(values.requests);
  const purchases = (await readPurchases(dataDir)).filter((p) => p.t * 1000 < CUT);
  const interactions: Interaction[] = purchases.map((p) => ({
    userId: p.user,
    itemId: p.item,
    timestamp: p.t * 1000,
    kind: 'purchase',
    quantity: p.quantity,
  }));
  const price = new Map<string, number>();
  for (const p of purchases) price.set(p.item, p.price);
  const catalog: CatalogItemInput[] = [...price].map(([id, p]) => ({ id, title: id, price: p }));
  const now = CUT;

  // Training, one strategy at a time.
  const configs: ModelConfigInput[] = [
    ...defaultModelConfigs(),
    { strategy: 'personalized', name: 'personalized_als', algorithm: 'als' },
  ];
  const training: Record<
    string,
    { seconds: number; keptMb: number; peakRssMb: number; kind: string; items: number }
  > = {};
  const models: Model[] = [];
  for (const config of configs) {
    const before = await memory();
    const t0 = performance.now();
    const model = train(config, interactions, catalog, now);
    const seconds = (performance.now() - t0) / 1000;
    models.push(model);
    training[config.name ?? config.strategy] = {
      seconds: Math.round(seconds * 100) / 100,
      keptMb: mb((await memory()) - before),
      peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
      kind: model.kind,
      items: model.itemIds.length,
    };
  }

  // The default bundle on a worker thread, watching the main thread's event loop.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const w0 = performance.now();
  const bundle = await trainInWorker(undefined, interactions, catalog, now);
  const workerSeconds = (performance.now() - w0) / 1000;
  loop.disable();
  const worker = {
    seconds: Math.round(workerSeconds * 100) / 100,
    models: bundle.models.length,
    eventLoopDelayP99Ms: Math.round(loop.percentile(99) / 1e4) / 100,
    eventLoopDelayMaxMs: Math.round(loop.max / 1e4) / 100,
  };

  // Serving from memory.
  const b0 = performance.now();
  const rec = new Recommender({ catalog, models });
  const buildMs = Math.round((performance.now() - b0) * 10) / 10;
  const users = [...new Set(interactions.map((x) => x.userId))];
  const items = catalog.map((c) => c.id);
  const pick = (i: number, list: readonly string[]) => list[(i * 7919) % list.length]!;
  const shapes: Record<string, RecommendRequestInput[]> = {
    knownCustomer: users.map((userId) => ({ userId, limit: 10 })),
    anonymousVisitor: users.map((_, i) => ({
      history: [0, 1, 2].map((k) => ({ itemId: pick(i * 3 + k, items), kind: 'view' as const })),
      limit: 10,
    })),
    productPage: items.map((itemId) => ({ itemId, limit: 10 })),
    popularInPriceRange: users.map((userId) => ({
      userId,
      strategy: 'popular',
      minPrice: 2,
      maxPrice: 10,
      limit: 10,
    })),
  };
  const top = rec.recommend({ strategy: 'popular', limit: 10 }, now).items;
  const baseline = measure(users, requests, () =>
    top.map((i) => ({ itemId: i.itemId, score: i.score })),
  );
  const serving: Record<string, Latency & { callsRatio: number; p99Ratio: number }> = {};
  for (const [name, inputs] of Object.entries(shapes)) {
    const l = measure(inputs, requests, (req) => rec.recommend(req, now));
    serving[name] = {
      ...l,
      callsRatio: Math.round((l.callsPerSecond / baseline.callsPerSecond) * 1000) / 1000,
      p99Ratio: Math.round((l.p99Us / Math.max(baseline.p99Us, 0.1)) * 10) / 10,
    };
  }

  const ease = training.personalized!;
  const summary =
    `recs: EASE ${ease.items} items trained in ${ease.seconds} s (keeps ${ease.keptMb} MB); ` +
    `worker bundle ${worker.seconds} s with event-loop p99 ${worker.eventLoopDelayP99Ms} ms; ` +
    `known customer ${serving.knownCustomer!.callsPerSecond}/s p99 ${serving.knownCustomer!.p99Us} µs, ` +
    `product page ${serving.productPage!.callsPerSecond}/s p99 ${serving.productPage!.p99Us} µs ` +
    `(baseline ${baseline.callsPerSecond}/s p99 ${baseline.p99Us} µs)`;
  report(
    'recs',
    {
      data: dataDir,
      interactions: interactions.length,
      customers: users.length,
      catalogItems: catalog.length,
      training,
      worker,
      recommenderBuildMs: buildMs,
      requestsPerShape: requests,
      baseline,
      serving,
    },
    summary,
  );
}
