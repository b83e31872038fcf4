import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, closeApp, type App } from '../../src/app/build-app.js';
import { buildServer } from '../../src/server/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { openStore, type Store } from '../../src/store/index.js';
import { storedTables } from '../../src/store/catalog.js';
import { TABLE_NAMES } from '../../src/store/tables.js';
import { ADMIN_KEY, createTestApp, NO_RATE_LIMITS, send, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { assertTestDatabase, withDatabase } from '../helpers/database-guard.js';
import { openTestStore, STORE_KINDS } from '../helpers/stores.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

const HOUR = 3_600_000;
const MASTER_KEY = randomBytes(32).toString('base64');

describe('rapport migrate: bad input', () => {
  it(
    'asks for --to, names a URL that is not PostgreSQL, and a folder with no deployment',
    { timeout: 90_000 },
    async () => {
      const none = await runCli(['migrate', '--data', '/nonexistent-rapport-dir']);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('--to is required');
      const mysql = await runCli(['migrate', '--to', 'mysql://db/x', '--data', '/nonexistent']);
      expect(mysql.code).toBe(2);
      expect(mysql.stderr).toContain('--to must be a postgres:// URL');
      const empty = await runCli([
        'migrate',
        '--to',
        'postgres://127.0.0.1:1/test',
        '--data',
        '/nonexistent-rapport-dir',
      ]);
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain('No SQLite deployment in /nonexistent-rapport-dir');
    },
  );
  it('says so when the target cannot be reached', { timeout: 60_000 }, async () => {
    const s = await openTestStore('sqlite');
    await s.store.close();
    try {
      const out = await runCli([
        'migrate',
        '--to',
        'postgres://postgres@127.0.0.1:1/test',
        '--data',
        s.dataDir!,
      ]);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('Cannot reach PostgreSQL at 127.0.0.1:1/test');
    } finally {
      await s.cleanup();
    }
  });
});

if (STORE_KINDS.includes('postgres'))
  describe('rapport migrate: a SQLite deployment with waiting journeys moves to PostgreSQL', () => {
    const base = process.env.TEST_DATABASE_URL!;
    const name = `rapport_test_migrate_${randomBytes(4).toString('hex')}`;
    const target = withDatabase(base, name);
    const clock = new ManualClock(Date.UTC(2026, 10, 1, 9));
    let t: TestApp;
    let hook: Awaited<ReturnType<typeof startReceiver>>;
    let dataDir: string;
    const admin = async (text: string) => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(text);
      } finally {
        await c.end();
      }
    };

    beforeAll(async () => {
      assertTestDatabase(target);
      await admin(`CREATE DATABASE ${name}`);
      hook = await startReceiver();
      t = await createTestApp('sqlite', { clock, encryption: { key: MASTER_KEY } });
      dataDir = t.testStore.dataDir!;
      const created = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
        definition: {
          name: 'Welcome later',
          trigger: { type: 'event', event: 'Signed Up' },
          start: 'pause',
          steps: [
            { id: 'pause', type: 'wait', duration: 'PT1H', next: 'ping' },
            { id: 'ping', type: 'webhook', url: hook.url, body: { hello: 'later' }, next: 'done' },
            { id: 'done', type: 'exit' },
          ],
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      for (const userId of ['ada', 'bob', 'cy']) {
        const res = await send(t, 'POST', '/v1/identify', t.keys.write, {
          userId,
          traits: { email: `${userId}@example.com`, newsletter: true },
        });
        expect(res.statusCode).toBe(200);
        const ev = await send(t, 'POST', '/v1/track', t.keys.write, {
          userId,
          event: 'Signed Up',
        });
        expect(ev.statusCode).toBe(200);
      }
      await t.ctx.profiles.drain();
      await t.ctx.journeys.runDueTimers();
      // Close the SQLite app but keep its folder: that is the deployment to move.
      await t.app.close();
      await closeApp(t.ctx);
      await t.ctx.store.close();
    });
    afterAll(async () => {
      await hook.close();
      await t.testStore.cleanup();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });

    it(
      'copies every table the migrations made, count for count, and refuses to copy twice',
      { timeout: 90_000 },
      async () => {
        const out = await runCli([
          'migrate',
          '--to',
          target,
          '--data',
          dataDir,
          '--json',
          '--batch',
          '2',
        ]);
        expect(out.code, out.stderr).toBe(0);
        // Progress counts rows once: it ends at the total and never passes it.
        const lines = [...out.stderr.matchAll(/^migrate: (\d+)% ([\d,]+)\/([\d,]+) rows/gm)];
        expect(lines.length).toBeGreaterThan(0);
        const n = (text: string) => Number(text.replace(/,/g, ''));
        for (const l of lines) expect(n(l[2]!)).toBeLessThanOrEqual(n(l[3]!));
        const last = lines.at(-1)!;
        expect([last[1], n(last[2]!)]).toEqual(['100', n(last[3]!)]);
        const report = JSON.parse(out.stdout) as {
          tables: { table: string; source: number; target: number }[];
        };
        // The registry, the SQLite catalog and the copy agree: a table added to the
        // migrations but not copied (or not registered) fails here.
        const sqlite = await openStore({ dataDir, encryptionKey: MASTER_KEY });
        let sourceTables: string[];
        try {
          sourceTables = await storedTables(sqlite);
        } finally {
          await sqlite.close();
        }
        expect([...sourceTables].sort()).toEqual([...TABLE_NAMES].sort());
        expect(report.tables.map((r) => r.table).sort()).toEqual([...TABLE_NAMES].sort());
        for (const r of report.tables) expect(r.target, r.table).toBe(r.source);
        const count = (table: string) => report.tables.find((r) => r.table === table)!.source;
        expect(count('journey_runs')).toBe(3);
        expect(count('api_keys')).toBeGreaterThanOrEqual(3);
        expect(count('encryption_keys')).toBeGreaterThan(0);
        expect(count('workspace_settings') + count('workspace_secrets')).toBeGreaterThan(0);

        const again = await runCli(['migrate', '--to', target, '--data', dataDir]);
        expect(again.code).toBe(2);
        expect(again.stderr).toContain('The target database is not empty');
      },
    );

    it('keeps sealed values byte for byte under the same data keys', async () => {
      const { Client } = pg;
      // BIGINT as numbers, as the store reads them, so rows compare value for value.
      const types = {
        getTypeParser: (oid: number, format?: 'text' | 'binary') =>
          // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
          oid === 20 ? Number : pg.types.getTypeParser(oid, format),
      };
      const c = new Client({ connectionString: target, types });
      await c.connect();
      const BetterSqlite3 = (await import('better-sqlite3')).default;
      const lite = new BetterSqlite3(`${dataDir}/rapport.db`, { readonly: true });
      try {
        for (const table of ['encryption_keys', 'identities', 'events']) {
          const key = table === 'encryption_keys' ? 'id' : table === 'events' ? 'id' : 'value';
          const pgRows = (await c.query(`SELECT * FROM ${table} ORDER BY ${key}`)).rows;
          const liteRows = lite.prepare(`SELECT * FROM ${table} ORDER BY ${key}`).all();
          expect(pgRows.length, table).toBeGreaterThan(0);
          expect(pgRows.map((r) => JSON.stringify(Object.values(r)))).toEqual(
            liteRows.map((r) => JSON.stringify(Object.values(r as object))),
          );
        }
        const sealed = lite.prepare(`SELECT value FROM identities WHERE kind = 'email'`).all();
        expect(JSON.stringify(sealed)).not.toContain('@example.com');
      } finally {
        lite.close();
        await c.end();
      }
    });

    it('finishes the waiting journeys on PostgreSQL once the clock passes their timers', async () => {
      const store: Store = await openStore({
        dataDir: '/unused',
        databaseUrl: target,
        encryptionKey: MASTER_KEY,
      });
      const later = new ManualClock(clock.now() + 2 * HOUR);
      let ctx: App | null = null;
      try {
        ctx = buildApp({
          store,
          clock: later,
          logger: pino({ level: 'silent' }),
          adminKey: ADMIN_KEY,
          globalControl: false,
        });
        const server = buildServer(ctx, { role: 'all', rateLimits: NO_RATE_LIMITS });
        await server.ready();
        // The keys came along: the old read key reads the copied, still sealed, profile.
        const profile = await server.inject({
          method: 'GET',
          url: '/v1/profiles/user_id/ada',
          headers: { authorization: `Bearer ${t.keys.read}` },
        });
        expect(profile.statusCode, profile.body).toBe(200);
        expect(JSON.stringify(profile.json())).toContain('ada@example.com');
        expect(hook.received).toHaveLength(0);
        for (let i = 0; i < 10; i++) {
          const a = await ctx.profiles.drain();
          const b = await ctx.journeys.runDueTimers();
          const c = await ctx.outbox.step();
          if (a === 0 && !b && !c) break;
        }
        expect(hook.received.map((r) => r.body.hello)).toEqual(['later', 'later', 'later']);
        const runs = await store.db.selectFrom('journey_runs').select('status').execute();
        expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
        const sent = await store.db.selectFrom('messages').select('status').execute();
        expect(sent.map((m) => m.status)).toEqual(['sent', 'sent', 'sent']);
        // New rows get ids after the copied ones (the identity sequences followed).
        const ev = await server.inject({
          method: 'POST',
          url: '/v1/track',
          headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/json' },
          payload: JSON.stringify({ userId: 'dee', event: 'Signed Up' }),
        });
        expect(ev.statusCode, ev.body).toBe(200);
        await server.close();
      } finally {
        if (ctx) await closeApp(ctx);
        await store.close();
      }
    });
  });

if (STORE_KINDS.includes('postgres'))
  describe('rapport migrate: a count that does not match', () => {
    const base = process.env.TEST_DATABASE_URL!;
    const name = `rapport_test_migrate_${randomBytes(4).toString('hex')}`;
    const target = withDatabase(base, name);
    let t: TestApp;
    const admin = async (text: string, url = base) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(text);
      } finally {
        await c.end();
      }
    };
    beforeAll(async () => {
      assertTestDatabase(target);
      await admin(`CREATE DATABASE ${name}`);
      t = await createTestApp('sqlite');
      await t.app.close();
      await closeApp(t.ctx);
      await t.ctx.store.close();
    });
    afterAll(async () => {
      await t.testStore.cleanup();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });

    it('rolls the whole copy back and exits non-zero, naming the table', async () => {
      // An already migrated but empty database is a fine target; a trigger that swallows
      // one table's rows makes its count differ.
      const empty = await openStore({ dataDir: '/unused', databaseUrl: target });
      await empty.close();
      await admin(
        `CREATE FUNCTION swallow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
         CREATE TRIGGER swallow BEFORE INSERT ON api_keys FOR EACH ROW EXECUTE FUNCTION swallow();`,
        target,
      );
      const out = await runCli(['migrate', '--to', target, '--data', t.testStore.dataDir!]);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(
        /Counts differ after the copy, nothing was kept: api_keys 3 in SQLite, 0 in PostgreSQL\./,
      );
      const c = new pg.Client({ connectionString: target });
      await c.connect();
      try {
        const rows = await c.query<{ n: string }>('SELECT count(*) AS n FROM workspaces');
        expect(Number(rows.rows[0]!.n)).toBe(0);
      } finally {
        await c.end();
      }
    }, 90_000);
  });
