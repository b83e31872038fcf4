import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/shared/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { STORE_KINDS } from '../helpers/stores.js';

// The CLI runs as its own process beside a running system on the same store.
describe.each(STORE_KINDS)('rapport workspaces (%s)', (kind) => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: systemClock });
    const s = t.testStore;
    env = s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! };
  });
  afterAll(() => t.close());

  it('creates a workspace whose printed admin key works only on it, and lists it', async () => {
    const made = await runCli(['workspaces', 'create', '--id', 'acme', '--name', 'Acme'], env);
    expect(made.code, made.stderr).toBe(0);
    const key = made.stdout.trim();
    expect(key).toMatch(/^rk_admin_/);
    expect(made.stderr).toContain('shown only once');

    // The running server sees the new workspace's key at once, and only acme's keys.
    const keys = await send(t, 'GET', '/v1/admin/keys', key);
    expect(keys.statusCode, keys.body).toBe(200);
    expect(keys.json<{ keys: unknown[] }>().keys).toHaveLength(1);
    const segments = await send(t, 'GET', '/v1/segments', key);
    expect(segments.json<{ segments: unknown[] }>().segments.length).toBeGreaterThan(0);

    const list = await runCli(['workspaces', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const ids = (JSON.parse(list.stdout) as { id: string }[]).map((w) => w.id);
    expect(ids).toEqual(['acme', 'default']);
    expect(list.stdout).not.toContain(key);

    const again = await runCli(['workspaces', 'create', '--id', 'acme', '--name', 'X'], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('exists already');
  });

  it('refuses a bad id naming the flag', async () => {
    const r = await runCli(['workspaces', 'create', '--id', 'Not_A_Slug', '--name', 'x'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--id');
  });
});
