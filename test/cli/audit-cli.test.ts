import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/shared/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('rapport audit list (%s)', (kind) => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: systemClock });
    const s = t.testStore;
    env = s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! };
    for (const scope of ['read', 'write']) {
      await send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope });
    }
  });
  afterAll(() => t.close());

  it('lists entries as JSON and as a table, honouring --limit and filters', async () => {
    const all = await runCli(['audit', 'list', '--json'], env);
    expect(all.code, all.stderr).toBe(0);
    const entries = JSON.parse(all.stdout) as { action: string }[];
    expect(entries.map((e) => e.action)).toEqual(['key.create', 'key.create']);

    const one = await runCli(['audit', 'list', '--json', '--limit', '1'], env);
    expect(JSON.parse(one.stdout)).toHaveLength(1);

    const table = await runCli(['audit', 'list', '--action', 'key.create'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^AT +KEY +ACTION +TARGET +ROUTE/);
    expect(table.stdout).toContain('POST /v1/admin/keys');
  });

  it('records key and webhook-secret commands, with no key id and never a secret', async () => {
    const made = await runCli(['keys', 'create', '--scope', 'read', '--json'], env);
    expect(made.code, made.stderr).toBe(0);
    const created = JSON.parse(made.stdout) as { id: string; key: string };
    const rotated = await runCli(['keys', 'rotate', created.id, '--json'], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    const fresh = JSON.parse(rotated.stdout) as { id: string; key: string };
    expect((await runCli(['keys', 'revoke', fresh.id], env)).code).toBe(0);
    const secret = await runCli(['webhooks', 'secret', 'rotate', '--json'], env);
    expect(secret.code, secret.stderr).toBe(0);
    const { secret: whsec } = JSON.parse(secret.stdout) as { secret: string };

    const r = await runCli(['audit', 'list', '--json', '--limit', '4'], env);
    const got = JSON.parse(r.stdout) as { action: string; keyId: string | null; route: string }[];
    expect(got.map((e) => [e.action, e.keyId, e.route])).toEqual([
      ['webhook_secret.rotate', null, 'rapport webhooks secret rotate'],
      ['key.revoke', null, 'rapport keys revoke'],
      ['key.rotate', null, 'rapport keys rotate'],
      ['key.create', null, 'rapport keys create'],
    ]);
    const text = JSON.stringify(
      await t.testStore.store.db.selectFrom('audit_log').selectAll().execute(),
    );
    for (const secretText of [created.key, fresh.key, whsec]) {
      expect(text).not.toContain(secretText);
    }
  });

  it('refuses a bad option naming it', async () => {
    const bad = await runCli(['audit', 'list', '--limit', '9999'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--limit');
  });
});
