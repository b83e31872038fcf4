// npm run bench -- decide [--store sqlite|postgres|both] [--seconds 10] [--rates 250,500,1000]
//                         [--profile DIR] (the server writes a V8 CPU profile there)
//
// POST /v1/decide of a real `rapport start` (the compiled build) with 20 offers (some with
// eligibility, caps and budgets), 3 placements (LinUCB on profile and context features,
// Thompson sampling, fixed priority) and 300 known people: requests/s flat out
// (autocannon, 16 connections) and p50/p99 at steady rates from an open-loop generator
// (the issue's goal: p99 < 10 ms at 1,000/s, flat out >= 0.5x the reference). The
// reference, in the same run and the same way: a bare Fastify process answering a
// recorded decide response (same bytes) to every request. Every decide writes its row
// to the decision log, so this measures the log's group commit too.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cpuMs } from './_cpu.js';
import { openLoop, type OpenLoopResult } from './_open-loop.js';
import { report } from './_report.js';
import { openBenchStore, parseStores } from './_stores.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/cli/main.js');
const ADMIN = 'bench-decide-admin-key-0123456789';
const auth = { authorization: `Bearer ${ADMIN}` };

function spawnNode(args: string[], env: Record<string, string>, pattern: RegExp) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let matched = false;
  const found = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      // Once found, the output is drained and dropped: matching a growing string of
      // per-request log lines on every chunk starved this process, the load generator.
      if (matched) return;
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        matched = true;
        out = '';
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => reject(new Error(`${args[0]} exited ${code}: ${out}`)));
  });
  const stop = () =>
    new Promise<void>((r) => {
      child.removeAllListeners('close');
      child.on('close', () => r());
      child.kill('SIGTERM');
    });
  return { found, stop, pid: child.pid! };
}

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const child = spawn(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error('build failed'))));
  });
}

/** A bare Fastify server in its own process answering `body` to every POST. */
async function startBare(body: string) {
  const script = `
    const app = require('fastify')();
    const body = process.env.BARE_BODY;
    app.post('/*', (_q, r) => { r.header('content-type', 'application/json'); r.send(body); });
    app.listen({ port: 0, host: '127.0.0.1' }).then((a) => console.log('listening ' + a));
    process.on('SIGTERM', () => app.close().then(() => process.exit(0)));`;
  const s = spawnNode(['-e', script], { BARE_BODY: body }, /listening (http:\/\/\S+)/);
  return { url: await s.found, stop: s.stop, pid: s.pid };
}

async function api(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text;
}

const TIERS = ['gold', 'silver', 'basic'];
const DEVICES = ['mobile', 'desktop', 'tablet'];

/** 20 offers, 3 placements and 300 people, through the API. */
async function seed(url: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await api(url, 'POST', '/v1/offers', {
      id: `offer-${i}`,
      name: `Offer ${i}`,
      kind: i % 5 === 0 ? 'free_shipping' : 'discount_code',
      priority: i,
      value: 5,
      content: { web: { title: `Offer ${i}`, url: `https://shop.example.com/o/${i}` } },
      ...(i % 4 === 1 ? { eligibility: { trait: 'tier', in: ['gold', 'silver'] } } : {}),
      ...(i % 4 === 2 ? { eligibility: { context: 'device', eq: 'mobile' } } : {}),
      ...(i % 4 === 3 ? { caps: { perPerson: { max: 1000, within: 'P30D' } } } : {}),
    });
  }
  await api(url, 'POST', '/v1/offers', { id: 'none', name: 'Nothing', kind: 'no_offer' });
  const all = Array.from({ length: 20 }, (_, i) => `offer-${i}`);
  const features = [
    'hour_sin',
    'hour_cos',
    'order_count',
    'revenue',
    'device=mobile',
    'ctx.cart_value',
  ];
  await api(url, 'POST', '/v1/placements', {
    name: 'homepage_banner',
    candidates: all,
    default: 'none',
    policy: { kind: 'linucb', features, epsilon: 0.05 },
  });
  await api(url, 'POST', '/v1/placements', {
    name: 'cart_page',
    candidates: all.slice(0, 10),
    default: 'none',
    policy: { kind: 'thompson', draws: 200 },
  });
  await api(url, 'POST', '/v1/placements', {
    name: 'email_hero',
    candidates: all.slice(10),
    default: 'none',
    policy: { kind: 'fixed' },
    holdoutPercent: 5,
  });
  const batch = Array.from({ length: 300 }, (_, i) => ({
    type: 'identify',
    userId: `user-${i}`,
    messageId: `seed-${i}`,
    traits: { tier: TIERS[i % 3], email: `user-${i}@example.com` },
  }));
  for (let i = 0; i < batch.length; i += 100)
    await api(url, 'POST', '/v1/batch', { batch: batch.slice(i, i + 100) });
  // Let the pipeline fold them into profiles.
  await new Promise((r) => setTimeout(r, 3000));
}

/** Mostly the contextual placement, people and devices in turn. */
function bodies(): string[] {
  const placements = ['homepage_banner', 'homepage_banner', 'cart_page', 'email_hero'];
  return Array.from({ length: 1200 }, (_, i) =>
    JSON.stringify({
      placement: placements[i % placements.length],
      userId: `user-${i % 300}`,
      context: { device: DEVICES[i % 3], cart_value: (i % 7) * 10 },
    }),
  );
}

async function flatOut(url: string, list: string[], seconds: number, pid: number) {
  let i = 0;
  const cpu0 = cpuMs(pid);
  const result = await autocannon({
    url,
    connections: 16,
    duration: seconds,
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => ({ ...req, path: '/v1/decide', body: list[i++ % list.length]! }),
      },
    ],
  });
  const requests = result.requests.total;
  return {
    rps: result.requests.average,
    cpuMsPerRequest: Number(((cpuMs(pid) - cpu0) / requests).toFixed(4)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      store: { type: 'string', default: 'sqlite' },
      seconds: { type: 'string', default: '10' },
      rates: { type: 'string', default: '250,500,1000' },
      profile: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const rates = values.rates.split(',').map(Number);
  if (rates.some((r) => !(r > 0))) throw new Error('--rates takes positive numbers: 250,500,1000');
  process.stderr.write('decide bench: building (the server runs the compiled build)...\n');
  await build();
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const kind of parseStores(values.store)) {
    const b = await openBenchStore(kind);
    await b.store.close();
    const server = spawnNode(
      [
        ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []),
        MAIN,
        'start',
        '--port',
        '0',
      ],
      {
        ...b.env,
        RAPPORT_ADMIN_KEY: ADMIN,
        RAPPORT_LOG_LEVEL: 'info',
        // Flat out goes past the per-key limits; the bench measures the server.
        RAPPORT_RATE_LIMIT_READ_PER_SECOND: '0',
        RAPPORT_RATE_LIMIT_ADMIN_PER_SECOND: '0',
        RAPPORT_RATE_LIMIT_WRITE_PER_SECOND: '0',
      },
      /"address":"(http:\/\/[^"]+)"/,
    );
    const url = await server.found;
    process.stderr.write(`decide bench: ${kind}: 20 offers, 3 placements, 300 people...\n`);
    await seed(url);
    const list = bodies();
    const sample = await api(url, 'POST', '/v1/decide', JSON.parse(list[0]!));
    const bare = await startBare(sample);
    process.stderr.write(`decide bench: ${kind}: flat out (${seconds}s each)...\n`);
    const rapportMax = await flatOut(url, list, seconds, server.pid);
    const bareMax = await flatOut(bare.url, list, seconds, bare.pid);
    const steady: Record<string, { rapport: OpenLoopResult; bare: OpenLoopResult }> = {};
    for (const rate of rates) {
      process.stderr.write(`decide bench: ${kind}: ${rate} requests/s (${seconds}s each)...\n`);
      const at = (u: string) =>
        openLoop({ url: u, paths: ['/v1/decide'], bodies: list, rate, seconds, headers: auth });
      steady[rate] = { rapport: await at(url), bare: await at(bare.url) };
    }
    await bare.stop();
    await server.stop();
    await b.drop();
    const ratio = rapportMax.rps / bareMax.rps;
    results[kind] = { rapportMax, bareMax, ratioRps: Number(ratio.toFixed(3)), steady };
    const top = steady[Math.max(...rates)]!;
    lines.push(
      `${kind} ${Math.round(rapportMax.rps).toLocaleString('en')} decides/s = ${ratio.toFixed(2)}x bare Fastify (${Math.round(bareMax.rps).toLocaleString('en')}); ` +
        `p99 ${rates.map((r) => `${steady[r]!.rapport.p99} ms at ${r}/s`).join(', ')} ` +
        `(bare ${top.bare.p99} ms at ${Math.max(...rates)}/s; CPU ${rapportMax.cpuMsPerRequest} ms/decide vs ${bareMax.cpuMsPerRequest} bare; non-2xx ${rapportMax.non2xx + top.rapport.non2xx})`,
    );
  }
  report('decide', { seconds, rates, results }, `decide: ${lines.join('; ')}`);
}
