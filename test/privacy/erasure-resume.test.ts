import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ERASE_STEPS } from '../../src/app/personal-data.js';
import { ErasureRunner } from '../../src/erasure/index.js';
import { ProfileKind, resolvePerson } from '../../src/profiles/index.js';
import { systemClock } from '../../src/shared/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { STORE_KINDS } from '../helpers/stores.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const EVENTS = 1500;

async function until(check: () => Promise<boolean>, ms: number, what: string) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(STORE_KINDS)('an erasure killed mid-job resumes and completes (%s)', (kind) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('finishes after kill -9, in another process, with every row counted once', async () => {
    t = await createTestApp(kind, { background: false });
    for (let b = 0; b < EVENTS / 500; b++) {
      const batch = Array.from({ length: 500 }, (_, i) => ({
        type: 'track',
        userId: 'u-many',
        event: 'Product Viewed',
        messageId: `m-${b}-${i}`,
        properties: { product_id: `sku-${i % 7}` },
      }));
      expect((await send(t, 'POST', '/v1/batch', t.keys.write, { batch })).statusCode).toBe(200);
    }
    await send(t, 'POST', '/v1/track', t.keys.write, {
      userId: 'u-other',
      event: 'Product Viewed',
      messageId: 'other',
    });
    await t.ctx.profiles.drain();
    const env = {
      ...process.env,
      ...(t.testStore.databaseUrl
        ? { DATABASE_URL: t.testStore.databaseUrl }
        : { RAPPORT_DATA_DIR: t.testStore.dataDir! }),
    };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN, 'profiles', 'erase', 'user_id', 'u-many', '--batch', '5'],
      { cwd: ROOT, env },
    );
    const exited = new Promise((r) => child.on('close', r));
    const db = t.ctx.store.db;
    const removedEvents = async () => {
      const job = await db.selectFrom('erasure_jobs').selectAll().executeTakeFirst();
      return job ? ((JSON.parse(job.removed) as Record<string, number>).events ?? 0) : 0;
    };
    await until(
      async () => (await removedEvents()) >= 50,
      60_000,
      'the child to erase some events',
    );
    child.kill('SIGKILL');
    await exited;
    const job = await db.selectFrom('erasure_jobs').selectAll().executeTakeFirstOrThrow();
    expect(job.status).toBe('running');
    const partly = await removedEvents();
    expect(partly).toBeLessThan(EVENTS);

    // Another worker takes the job over once its lease ran out (0 here) and finishes it.
    const runner = new ErasureRunner(t.ctx.store, systemClock, {
      steps: ERASE_STEPS,
      resolve: (d, ws, k, v) => resolvePerson(d, ws, ProfileKind.parse(k), v),
      leaseMs: 0,
    });
    while (await runner.step());
    const done = await send(t, 'GET', `/v1/erasures/${job.id}`, t.keys.admin);
    expect(done.json()).toMatchObject({ status: 'done', removed: { events: EVENTS, profiles: 1 } });
    const left = await db.selectFrom('events').select('user_id').execute();
    expect(left.map((e) => e.user_id)).toEqual(['u-other']);
    // A second request answers the finished job; the CLI says so without work.
    const again = await runCli(['profiles', 'erase', 'user_id', 'u-many'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id: job.id, status: 'done' });
    const unknown = await runCli(['profiles', 'erase', 'user_id', 'nobody'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No profile with user_id "nobody"');
  }, 120_000);
});
