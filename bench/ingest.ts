// npm run bench -- ingest [--store sqlite|postgres|both] [--seconds 10] [--clients 8] [--batch 100]
//   [--encryption]
//
// Sustained events/s through POST /v1/batch of a real `rapport start` process (events
// durable before each 200), with autocannon as the load generator on the same machine,
// side by side with the raw multi-row INSERT rate of the same store and table, measured
// in the same run. Prints the ratio. `--encryption` also measures the API role with
// RAPPORT_ENCRYPTION_KEY set (raw payloads sealed) on a fresh store, against the same two.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import type { EventRow, Store } from '../src/store/index.js';
import { createApiKey, ensureDefaultWorkspace } from '../src/workspaces/index.js';
import { systemClock } from '../src/shared/index.js';
import { report } from './_report.js';
import { openBenchStore, parseStores } from './_stores.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

function eventJson(run: string, n: number, now: string): string {
  return (
    `{"type":"track","messageId":"${run}-${n}","userId":"user-${n % 5000}",` +
    `"event":"Product Viewed","timestamp":"${now}","properties":{"product_id":"sku-${n % 3000}",` +
    `"category":"shoes","price":59.9,"currency":"EUR","name":"Trail runner ${n % 3000}"},` +
    `"context":{"ip":"127.0.0.1","userAgent":"bench/1.0","page":{"path":"/p/${n % 3000}"}}}`
  );
}

function rowFor(run: string, n: number, now: number, raw: string): EventRow {
  return {
    workspace_id: 'default',
    message_id: `${run}-${n}`,
    type: 'track',
    event: 'Product Viewed',
    user_id: `user-${n % 5000}`,
    anonymous_id: null,
    previous_id: null,
    group_id: null,
    timestamp: now,
    received_at: now,
    sent_at: null,
    raw,
  };
}

/** The reference: plain multi-row INSERTs of the same rows, `clients` at a time. */
async function rawInsertRate(store: Store, seconds: number, clients: number, batch: number) {
  const now = Date.now();
  const nowIso = new Date(now).toISOString();
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const rows: EventRow[] = [];
      for (let i = 0; i < batch; i++, n++)
        rows.push(rowFor('raw', n, now, eventJson('raw', n, nowIso)));
      await rawInsert(store, rows);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: store.kind === 'sqlite' ? 1 : clients }, worker));
  return n / ((performance.now() - start) / 1000);
}

/** A bare multi-row INSERT, one transaction per statement, no dedupe bookkeeping. */
async function rawInsert(store: Store, rows: EventRow[]): Promise<void> {
  const cols = Object.keys(rows[0]!) as (keyof EventRow)[];
  if (store.kind === 'sqlite') {
    const tuple = `(${cols.map(() => '?').join(',')})`;
    const stmt = store.sqlite!.prepare(
      `INSERT INTO events (${cols.join(',')}) VALUES ${rows.map(() => tuple).join(',')}`,
    );
    stmt.run(rows.flatMap((r) => cols.map((c) => r[c])));
    return;
  }
  const params: unknown[] = [];
  const values = rows.map((r) => `(${cols.map((c) => `$${params.push(r[c])}`).join(',')})`);
  await store.pgPool!.query(
    `INSERT INTO events (${cols.join(',')}) VALUES ${values.join(',')}`,
    params,
  );
}

async function startServer(
  env: Record<string, string>,
  role: 'api' | 'all',
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, 'start', '--port', '0', '--log-level', 'info', '--role', role],
    {
      // The server's capacity is measured, not the per-key limit (RAPPORT_RATE_LIMIT_*).
      env: { ...process.env, ...env, RAPPORT_RATE_LIMIT_WRITE_PER_SECOND: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
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
      new Promise((resolve) => {
        child.on('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function ingestRate(
  url: string,
  key: string,
  seconds: number,
  clients: number,
  batch: number,
) {
  const run = `http-${Date.now()}`;
  let n = 0;
  const nowIso = new Date().toISOString();
  const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const result = await autocannon({
    url: `${url}/v1/batch`,
    connections: clients,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: auth },
    requests: [
      {
        setupRequest: (req) => {
          const parts: string[] = [];
          for (let i = 0; i < batch; i++) parts.push(eventJson(run, n++, nowIso));
          return { ...req, body: `{"batch":[${parts.join(',')}]}` };
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    eventsPerSecond: (ok * batch) / result.duration,
    requests: ok,
    non2xx: result.non2xx,
    errors: result.errors,
    latencyP99Ms: result.latency.p99,
    latencyP50Ms: result.latency.p50,
  };
}

/** The API role again on a fresh store, with a master key: every raw payload sealed. */
async function encryptedRate(
  kind: Parameters<typeof openBenchStore>[0],
  seconds: number,
  clients: number,
  batch: number,
  clearRate: number,
  rawRate: number,
) {
  const b = await openBenchStore(kind);
  await ensureDefaultWorkspace(b.store.db, systemClock);
  const { key } = await createApiKey(b.store.db, systemClock, {
    workspaceId: 'default',
    scope: 'write',
  });
  await b.store.close();
  const env = { ...b.env, RAPPORT_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  const server = await startServer(env, 'api');
  process.stderr.write(
    `ingest bench: ${kind}: --role api with RAPPORT_ENCRYPTION_KEY (${seconds}s)...\n`,
  );
  const http = await ingestRate(server.url, key, seconds, clients, batch);
  await server.stop();
  const check = b.reopen();
  const clear = await sql<{ n: number | string }>`
    SELECT count(*) AS n FROM events WHERE raw NOT LIKE 'enc:v1:%'`.execute(check.db);
  await check.close();
  await b.drop();
  return {
    eventsPerSecond: Math.round(http.eventsPerSecond),
    ratioToRaw: Number((http.eventsPerSecond / rawRate).toFixed(3)),
    ratioToClear: Number((http.eventsPerSecond / clearRate).toFixed(3)),
    latencyP99Ms: http.latencyP99Ms,
    unsealedEvents: Number(clear.rows[0]!.n),
  };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      store: { type: 'string' },
      seconds: { type: 'string', default: '10' },
      clients: { type: 'string', default: '8' },
      batch: { type: 'string', default: '100' },
      encryption: { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const clients = Number(values.clients);
  const batch = Number(values.batch);
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const kind of parseStores(values.store)) {
    process.stderr.write(`ingest bench: ${kind}: raw insert reference (${seconds}s)...\n`);
    const raw = await openBenchStore(kind);
    const rawRate = await rawInsertRate(raw.store, seconds, clients, batch);
    await raw.drop();

    const b = await openBenchStore(kind);
    await ensureDefaultWorkspace(b.store.db, systemClock);
    const { key } = await createApiKey(b.store.db, systemClock, {
      workspaceId: 'default',
      scope: 'write',
    });
    await b.store.close();
    // The API role: ingestion as the issue measures it (validated, deduped, durable
    // before the 200), with the profile stage left to worker processes.
    const server = await startServer(b.env, 'api');
    process.stderr.write(
      `ingest bench: ${kind}: POST /v1/batch x${clients} clients, --role api (${seconds}s)...\n`,
    );
    const http = await ingestRate(server.url, key, seconds, clients, batch);
    await server.stop();
    const sealed = values.encryption
      ? await encryptedRate(kind, seconds, clients, batch, http.eventsPerSecond, rawRate)
      : null;
    // One process doing everything: ingestion and the whole pipeline share its one core,
    // so this is the end-to-end rate with profiles, segments and journeys kept current.
    process.stderr.write(`ingest bench: ${kind}: --role all, pipeline running (${seconds}s)...\n`);
    const whole = await startServer(b.env, 'all');
    const endToEnd = await ingestRate(whole.url, key, seconds, clients, batch);
    await whole.stop();
    const check = b.reopen();
    const stored = Number(
      (
        await sql<{
          n: number | string;
        }>`SELECT count(*) AS n FROM events WHERE event = 'Product Viewed'`.execute(check.db)
      ).rows[0]!.n,
    );
    await check.close();
    await b.drop();

    const ratio = http.eventsPerSecond / rawRate;
    results[kind] = {
      rawInsertRowsPerSecond: Math.round(rawRate),
      ingestEventsPerSecond: Math.round(http.eventsPerSecond),
      ratio: Number(ratio.toFixed(3)),
      acknowledgedEvents: (http.requests + endToEnd.requests) * batch,
      storedEvents: stored,
      ...http,
      allRoles: endToEnd,
      ...(sealed ? { encrypted: sealed } : {}),
    };
    lines.push(
      `${kind} ${Math.round(http.eventsPerSecond).toLocaleString('en')} ev/s = ${ratio.toFixed(2)}x raw ` +
        `(${Math.round(rawRate).toLocaleString('en')} rows/s), p99 ${http.latencyP99Ms} ms, ` +
        `all roles ${Math.round(endToEnd.eventsPerSecond).toLocaleString('en')} ev/s` +
        (sealed
          ? `, encrypted ${sealed.eventsPerSecond.toLocaleString('en')} ev/s = ${sealed.ratioToRaw}x raw, ${sealed.ratioToClear}x clear`
          : '') +
        (stored < http.requests * batch ? ' LOST EVENTS' : ''),
    );
  }
  report('ingest', { seconds, clients, batch, results }, `ingest: ${lines.join('; ')}`);
}
