// npm run bench -- recs-api [--store sqlite|postgres|both] [--data DIR] [--seconds 10]
//   [--rates 250,500,1000]
//
// GET /v1/recommendations of a real Rapport process holding the Online Retail year
// (imported with the preset, models trained through the API), loaded from the same
// machine: requests/s flat out (autocannon, 16 connections), then latency p50/p99 at
// steady rates from an open-loop generator (the issue's goal: p99 < 10 ms at 1,000/s).
// The server is the compiled build `npm start` runs (built first). Side by side, in the
// same run and the same way, a bare Fastify process answering the recorded response (the
// same bytes) to every request: the reference. Each side's CPU per request is reported.
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
const ADMIN = 'bench-recs-admin-key-0123456789';

function run(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
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

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const child = spawn(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error('build failed'))));
  });
}

/** A bare Fastify server in its own process, like Rapport's, answering `body` to every GET. */
async function startBare(body: string) {
  const script = `
    const app = require('fastify')();
    const body = process.env.BARE_BODY;
    app.get('/*', (_q, r) => { r.header('content-type', 'application/json'); r.send(body); });
    app.listen({ port: 0, host: '127.0.0.1' }).then(() => console.log('port ' + app.server.address().port));
    process.on('SIGTERM', () => app.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, BARE_BODY: body },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /port (\d+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    child.on('close', (code) => reject(new Error(`bare server exited ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((r) => {
        child.removeAllListeners('close');
        child.on('close', () => r());
        child.kill('SIGTERM');
      }),
  };
}

async function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN, 'start', '--port', '0'], {
    env: {
      ...process.env,
      ...env,
      RAPPORT_LOG_LEVEL: 'info',
      // Flat out goes past the per-key read limit; the bench measures the server.
      RAPPORT_RATE_LIMIT_READ_PER_SECOND: '0',
    },
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
    pid: child.pid!,
    stop: () =>
      new Promise<void>((r) => {
        child.on('close', () => r());
        child.kill('SIGTERM');
      }),
  };
}

async function flatOut(url: string, paths: string[], seconds: number, pid: number) {
  let i = 0;
  const cpu0 = cpuMs(pid);
  const result = await autocannon({
    url,
    connections: 16,
    duration: seconds,
    headers: { authorization: `Bearer ${ADMIN}` },
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  return {
    rps: result.requests.average,
    cpuMsPerRequest: Number(((cpuMs(pid) - cpu0) / result.requests.total).toFixed(4)),
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
      data: { type: 'string', default: '../shared/data/online_retail' },
      seconds: { type: 'string', default: '10' },
      rates: { type: 'string', default: '250,500,1000' },
    },
  });
  const seconds = Number(values.seconds);
  const rates = values.rates.split(',').map(Number);
  if (rates.some((r) => !(r > 0))) throw new Error('--rates takes positive numbers: 250,500,1000');
  process.stderr.write('recs-api bench: building (the server runs the compiled build)...\n');
  await build();
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

    // The reference: a bare handler in its own process answering the same bytes.
    const bare = await startBare(sample);

    process.stderr.write(`recs-api bench: ${kind}: flat out (${seconds}s each)...\n`);
    const rapportMax = await flatOut(server.url, paths, seconds, server.pid);
    const bareMax = await flatOut(bare.url, paths, seconds, bare.pid);
    const steady: Record<string, { rapport: OpenLoopResult; bare: OpenLoopResult }> = {};
    for (const rate of rates) {
      process.stderr.write(`recs-api bench: ${kind}: ${rate} requests/s (${seconds}s each)...\n`);
      const at = (url: string) =>
        openLoop({ url, paths, rate, seconds, headers: { authorization: `Bearer ${ADMIN}` } });
      steady[rate] = { rapport: await at(server.url), bare: await at(bare.url) };
    }
    await bare.stop();
    await server.stop();
    await b.drop();
    results[kind] = {
      training,
      rapportMax,
      bareMax,
      ratioRps: Number((rapportMax.rps / bareMax.rps).toFixed(3)),
      steady,
    };
    const top = steady[Math.max(...rates)]!;
    lines.push(
      `${kind} ${Math.round(rapportMax.rps).toLocaleString('en')} req/s = ${(rapportMax.rps / bareMax.rps).toFixed(2)}x bare Fastify (${Math.round(bareMax.rps).toLocaleString('en')}); ` +
        `p99 ${rates.map((r) => `${steady[r]!.rapport.p99} ms at ${r}/s`).join(', ')} ` +
        `(bare ${top.bare.p99} ms at ${Math.max(...rates)}/s); CPU ${rapportMax.cpuMsPerRequest} ms/request vs ${bareMax.cpuMsPerRequest} bare; training ${training.seconds.toFixed(1)} s`,
    );
  }
  report('recs-api', { seconds, rates, results }, `recs-api: ${lines.join('; ')}`);
}
