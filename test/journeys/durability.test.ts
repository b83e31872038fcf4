import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startServer, type RunningServer } from '../helpers/cli.js';
import { STORE_KINDS, openTestStore, reopenStore, type TestStore } from '../helpers/stores.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

const ADMIN = 'durability-admin-key-0123456789';
const PEOPLE = 150;

/** Two webhook steps per person with a wait between: 300 step visits to deliver. */
const definition = (url: string) => ({
  name: 'Two pings',
  trigger: { type: 'event', event: 'Signed Up' },
  start: 'first',
  steps: [
    { id: 'first', type: 'webhook', url, body: { step: 'first' }, next: 'pause' },
    { id: 'pause', type: 'wait', duration: 'PT1S', next: 'second' },
    { id: 'second', type: 'webhook', url, body: { step: 'second' }, next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(STORE_KINDS)('journeys survive kill -9 and share work (%s)', (kind) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });

  async function setup() {
    const s: TestStore = await openTestStore(kind);
    cleanups.push(() => s.cleanup());
    await s.store.close();
    const env = {
      ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! }),
      RAPPORT_ADMIN_KEY: ADMIN,
      RAPPORT_OUTBOX_LEASE_MS: '2000',
    };
    const keyOut = await runCli(['keys', 'create', '--scope', 'write', '--json'], env);
    const writeKey = (JSON.parse(keyOut.stdout) as { key: string }).key;
    const hook = await startReceiver();
    cleanups.push(() => hook.close());
    const start = async () => {
      const server = await startServer([], env);
      cleanups.push(async () => {
        server.child.kill('SIGKILL');
        await server.exited.catch(() => undefined);
      });
      return server;
    };
    const post = (server: RunningServer, path: string, key: string, body: unknown, basic = false) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: basic
            ? `Basic ${Buffer.from(`${key}:`).toString('base64')}`
            : `Bearer ${key}`,
        },
        body: JSON.stringify(body),
      });
    const signUps = (server: RunningServer) =>
      post(
        server,
        '/v1/batch',
        writeKey,
        {
          batch: Array.from({ length: PEOPLE }, (_, i) => ({
            type: 'track',
            userId: `p${i}`,
            event: 'Signed Up',
            messageId: `su-${i}`,
          })),
        },
        true,
      );
    return { s, hook, start, post, signUps };
  }

  /**
   * The receiver has every message before the sender records it as sent: wait (bounded)
   * until the store shows every run completed and every message sent, then verify.
   */
  async function settled(s: TestStore) {
    const db = reopenStore(s);
    try {
      await until(
        async () => {
          const open = await db.db
            .selectFrom('journey_runs')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .where('status', '<>', 'completed')
            .executeTakeFirstOrThrow();
          const unsent = await db.db
            .selectFrom('messages')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .where('status', '<>', 'sent')
            .executeTakeFirstOrThrow();
          return Number(open.n) === 0 && Number(unsent.n) === 0;
        },
        15_000,
        'runs completed and messages recorded as sent',
      );
    } finally {
      await db.close();
    }
  }

  async function verify(s: TestStore, hook: Awaited<ReturnType<typeof startReceiver>>) {
    await settled(s);
    const db = reopenStore(s);
    try {
      const runs = await db.db.selectFrom('journey_runs').select(['status']).execute();
      expect(runs).toHaveLength(PEOPLE);
      expect(runs.every((r) => r.status === 'completed')).toBe(true);
      const messages = await db.db
        .selectFrom('messages')
        .select(['idempotency_key', 'status'])
        .execute();
      expect(messages).toHaveLength(PEOPLE * 2);
      expect(new Set(messages.map((m) => m.idempotency_key)).size).toBe(PEOPLE * 2);
      expect(messages.every((m) => m.status === 'sent')).toBe(true);
    } finally {
      await db.close();
    }
    const keys = hook.received.map((r) => r.headers['idempotency-key'] as string);
    expect(new Set(keys).size).toBe(PEOPLE * 2);
    return keys.length - new Set(keys).size;
  }

  it('loses no run and queues no step twice when a worker is killed mid-run', async () => {
    const { s, hook, start, post, signUps } = await setup();
    const first = await start();
    expect(
      (await post(first, '/v1/journeys', ADMIN, { definition: definition(hook.url) })).status,
    ).toBe(201);
    expect((await signUps(first)).status).toBe(200);
    // Kill it hard in the middle of the work.
    await until(() => hook.received.length >= PEOPLE / 2, 20_000, 'first deliveries');
    first.child.kill('SIGKILL');
    await first.exited;
    const delivered = hook.received.length;
    expect(delivered).toBeLessThan(PEOPLE * 2);

    const second = await start();
    try {
      await until(
        () => new Set(hook.received.map((r) => r.headers['idempotency-key'])).size >= PEOPLE * 2,
        30_000,
        'all deliveries',
      );
    } catch (e) {
      const db = reopenStore(s);
      console.log(
        'DEBUG runs',
        JSON.stringify(
          await db.db
            .selectFrom('journey_runs')
            .select(['status', 'step_id', 'wake_at', (eb) => eb.fn.countAll().as('n')])
            .groupBy(['status', 'step_id', 'wake_at'])
            .execute(),
        ),
      );
      console.log(
        'DEBUG msgs',
        JSON.stringify(
          await db.db
            .selectFrom('messages')
            .select(['status', 'next_attempt_at', 'reason', (eb) => eb.fn.countAll().as('n')])
            .groupBy(['status', 'next_attempt_at', 'reason'])
            .execute(),
        ),
      );
      console.log(
        'DEBUG pending',
        JSON.stringify(
          await db.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('profile_id', 'is', null)
            .execute(),
        ),
      );
      console.log('DEBUG now', Date.now(), second.output().slice(-3000));
      await db.close();
      throw e;
    }
    const resent = await verify(s, hook);
    // At least once: only messages caught between a send and its record can go twice, and
    // they carry the same Idempotency-Key for the receiver to drop.
    expect(resent).toBeLessThanOrEqual(100);
  }, 90_000);

  // Several workers on one database is a PostgreSQL deployment; SQLite has one writer.
  if (kind === 'postgres')
    it('never runs a step twice with two workers on one database', async () => {
      const { s, hook, start, post, signUps } = await setup();
      const a = await start();
      const b = await start();
      expect(
        (await post(a, '/v1/journeys', ADMIN, { definition: definition(hook.url) })).status,
      ).toBe(201);
      expect((await signUps(b)).status).toBe(200);
      await until(() => hook.received.length >= PEOPLE * 2, 30_000, 'all deliveries');
      expect(await verify(s, hook)).toBe(0);
      expect(hook.received).toHaveLength(PEOPLE * 2);
    }, 60_000);
});
