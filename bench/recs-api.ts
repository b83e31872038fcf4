// npm run bench -- recs-api [--store sqlite|postgres|both] [--data DIR] [--seconds 10] [--rate 1000]
//
// GET /v1/recommendations of a real `rapport start` process holding the Online Retail
// year (imported with the preset, models trained through the API), under autocannon on
// the same machine: requests/s flat out, and latency p50/p99 at a fixed 1,000 requests/s
// (the goal: p99 < 10 ms). Side by side, in the same run, a bare node:http
// handler answering a precomputed response of the same size: the reference ratio.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { report } from './_report.js';
import { openBenchStore, parseStores } from './_stores.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const ADMIN = 'bench-recs-admin-key-0123456789';

function run(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`rapport ${args.join(' ')} failed:\n${out}`)),
    );
  });
}

async function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'start', '--port', '0'], {
    env: { ...process.env, ...env, RAPPORT_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /"address":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((r) => {
        child.on('close', () => r());
        child.kill('SIGTERM');
      }),
  };
}

async function load(url: string, paths: string[], seconds: number, rate?: number) {
  let i = 0;
  const result = await autocannon({
    url,
    connections: 16,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    headers: { authorization: `Bearer ${ADMIN}` },
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  return {
    rps: result.requests.average,
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
      data: { type: 'string', default: '/work/shared/data/online_retail' },
      seconds: { type: 'string', default: '10' },
      rate: { type: 'string', default: '1000' },
    },
  });
  const seconds = Number(values.seconds);
  const rate = Number(values.rate);
  const files = [1, 2].map((p) =>
    join(values.data, `online_retail_full_year_no_invoice_stock_part${p}.csv.gz`),
  );
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const kind of parseStores(values.store)) {
    const b = await openBenchStore(kind);
    await b.store.close();
    const env = { ...b.env, RAPPORT_ADMIN_KEY: ADMIN };
    process.stderr.write(`recs-api bench: ${kind}: importing the Online Retail year...\n`);
    await run(
      ['import', 'events', '--preset', 'online-retail', ...files, '--rejects', '/dev/null'],
      { ...env, CI: 'true' },
    );
    const server = await start(env);
    const trained = await fetch(`${server.url}/v1/admin/recommendations/train`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const training = (await trained.json()) as { seconds: number; interactions: number };
    // Real customers and products to ask about.
    const customers = (await (
      await fetch(`${server.url}/v1/profiles?limit=500`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json()) as {
      profiles: { identities: { kind: string; value: string }[] }[];
    };
    const userIds = customers.profiles.flatMap((p) =>
      p.identities.filter((i) => i.kind === 'user_id').map((i) => i.value),
    );
    const items = (await (
      await fetch(`${server.url}/v1/catalog/items?limit=500`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json()) as { items: { id: string }[] };
    const paths = [
      ...userIds.map((u) => `/v1/recommendations?userId=${encodeURIComponent(u)}&limit=10`),
      ...items.items
        .slice(0, 200)
        .map((i) => `/v1/recommendations?itemId=${encodeURIComponent(i.id)}&limit=10`),
      '/v1/recommendations?anonymousId=new-visitor&limit=10',
    ];
    const sample = await (
      await fetch(`${server.url}${paths[0]}`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).text();

    // The reference: a bare handler answering the same bytes.
    const bare = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(sample);
    });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

    process.stderr.write(`recs-api bench: ${kind}: flat out (${seconds}s each)...\n`);
    const rapportMax = await load(server.url, paths, seconds);
    const bareMax = await load(bareUrl, paths, seconds);
    process.stderr.write(`recs-api bench: ${kind}: at ${rate} requests/s (${seconds}s each)...\n`);
    const rapportAt = await load(server.url, paths, seconds, rate);
    const bareAt = await load(bareUrl, paths, seconds, rate);
    await new Promise((r) => bare.close(r));
    await server.stop();
    await b.drop();
    results[kind] = {
      training,
      rapportMax,
      bareMax,
      rapportAt,
      bareAt,
      ratioRps: Number((rapportMax.rps / bareMax.rps).toFixed(3)),
    };
    lines.push(
      `${kind} ${Math.round(rapportMax.rps).toLocaleString('en')} req/s = ${(rapportMax.rps / bareMax.rps).toFixed(2)}x bare (${Math.round(bareMax.rps).toLocaleString('en')}), ` +
        `p99 ${rapportAt.p99} ms at ${rate}/s (bare ${bareAt.p99} ms), training ${training.seconds.toFixed(1)} s`,
    );
  }
  report('recs-api', { seconds, rate, results }, `recs-api: ${lines.join('; ')}`);
}
