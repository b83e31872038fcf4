import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startServer } from '../helpers/cli.js';
import { STORE_KINDS, openTestStore, reopenStore, type TestStore } from '../helpers/stores.js';
import { assertTestDatabase, withDatabase } from '../helpers/database-guard.js';

const ADMIN = 'cli-admin-key-0123456789';

describe.each(STORE_KINDS)('rapport start and keys (%s)', (kind) => {
  const stores: TestStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.cleanup();
  });
  const envFor = (s: TestStore) =>
    s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! };

  it('serves health, takes a CLI-created key, and stops cleanly on SIGTERM after in-flight writes', async () => {
    const s = await openTestStore(kind);
    stores.push(s);
    await s.store.close();
    const created = await runCli(['keys', 'create', '--scope', 'write', '--json'], envFor(s));
    expect(created.code).toBe(0);
    const { key } = JSON.parse(created.stdout) as { key: string };
    expect(key).toMatch(/^rk_write_/);

    const server = await startServer([], { ...envFor(s), RAPPORT_ADMIN_KEY: ADMIN });
    const health = await fetch(`${server.url}/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', store: kind });

    const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
    const send = (i: number) =>
      fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          batch: Array.from({ length: 50 }, (_, j) => ({
            type: 'track',
            userId: 'u',
            event: 'E',
            messageId: `sig-${i}-${j}`,
          })),
        }),
      }).then(
        (r) => r.status,
        () => 0,
      );
    const inflight = Array.from({ length: 20 }, (_, i) => send(i));
    // Signal once the first write is acknowledged, while the others are in flight.
    await Promise.race(inflight);
    server.child.kill('SIGTERM');
    const statuses = await Promise.all(inflight);
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThan(0);
    for (const x of statuses) expect([200, 503, 0]).toContain(x);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');

    // Every acknowledged batch is in the log; nothing acknowledged was lost.
    const reopened = reopenStore(s);
    const rows = await reopened.db.selectFrom('events').select('message_id').execute();
    const stored = new Set(rows.map((r) => r.message_id));
    statuses.forEach((status, i) => {
      if (status === 200) {
        for (let j = 0; j < 50; j++) expect(stored.has(`sig-${i}-${j}`)).toBe(true);
      }
    });
    await reopened.close();
  });

  it('accepts RAPPORT_ADMIN_KEY as an admin key and creates keys over HTTP, stored hashed', async () => {
    const s = await openTestStore(kind);
    stores.push(s);
    await s.store.close();
    const server = await startServer([], { ...envFor(s), RAPPORT_ADMIN_KEY: ADMIN });
    try {
      const res = await fetch(`${server.url}/v1/admin/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: 'read' }),
      });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { key: string; scope: string };
      expect(body.scope).toBe('read');
      const events = await fetch(`${server.url}/v1/events`, {
        headers: { authorization: `Bearer ${body.key}` },
      });
      expect(events.status).toBe(200);
      const bad = await fetch(`${server.url}/v1/admin/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${body.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: 'admin' }),
      });
      expect(bad.status).toBe(403);
      const invalid = await fetch(`${server.url}/v1/admin/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: 'superuser' }),
      });
      expect(invalid.status).toBe(400);
      expect(
        ((await invalid.json()) as { error: { details: { path: string }[] } }).error.details[0]!
          .path,
      ).toBe('scope');
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
    const reopened = reopenStore(s);
    const keys = await reopened.db.selectFrom('api_keys').selectAll().execute();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    await reopened.close();
  });
});

describe('start-up configuration errors', () => {
  it.each([
    [['--port', 'abc'], {}, '--port'],
    [['--role', 'boss'], {}, 'boss'],
    [[], { DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
  ])('refuses %j naming the setting', async (args, env, name) => {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-cfg-'));
    try {
      const res = await runCli(['start', ...args], { RAPPORT_DATA_DIR: dir, ...env });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain(name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Registered only where PostgreSQL is configured (CI always is), never reported as skipped.
if (STORE_KINDS.includes('postgres'))
  describe('migrations on PostgreSQL', () => {
    it('apply once when two processes start at the same moment', async () => {
      const url = process.env.TEST_DATABASE_URL!;
      assertTestDatabase(url);
      const name = `rapport_test_mig_${Date.now().toString(36)}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        const env = { DATABASE_URL: withDatabase(url, name) };
        const results = await Promise.all([
          runCli(['keys', 'create', '--scope', 'read'], env),
          runCli(['keys', 'create', '--scope', 'read'], env),
          runCli(['keys', 'create', '--scope', 'write'], env),
        ]);
        for (const r of results) expect(`${r.stderr}${String(r.code)}`).toMatch(/0$/);
        const db = new pg.Client({ connectionString: env.DATABASE_URL });
        await db.connect();
        const { rows } = await db.query<{ name: string }>('SELECT name FROM kysely_migration');
        const keys = await db.query('SELECT id FROM api_keys');
        await db.end();
        expect(rows.map((r) => r.name)).toEqual([...new Set(rows.map((r) => r.name))]);
        expect(rows.length).toBeGreaterThan(0);
        expect(keys.rowCount).toBe(3);
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    });
  });
