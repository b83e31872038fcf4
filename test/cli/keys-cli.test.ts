import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/shared/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { STORE_KINDS } from '../helpers/stores.js';

interface Listed {
  id: string;
  scope: string;
  status: string;
  name: string | null;
  expiresAt: string | null;
}

// The CLI runs as its own process beside a running system on the same store, as an
// operator would run it next to a server.
describe.each(STORE_KINDS)('rapport keys (%s)', (kind) => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    // The CLI reads the system clock; so must the running system, to agree on expiries.
    t = await createTestApp(kind, { clock: systemClock });
    const s = t.testStore;
    env = s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! };
  });
  afterAll(() => t.close());

  const list = async (): Promise<Listed[]> => {
    const r = await runCli(['keys', 'list', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Listed[];
  };

  it('creates a named key with an expiry and lists keys without ever printing one', async () => {
    const made = await runCli(
      ['keys', 'create', '--scope', 'admin', '--name', 'ops', '--expires-in', 'P1D', '--json'],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    const created = JSON.parse(made.stdout) as { id: string; key: string; expiresAt: string };
    expect(created).toMatchObject({ scope: 'admin', name: 'ops' });
    const lifetime = Date.parse(created.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(86_400_000 - 60_000);
    expect(lifetime).toBeLessThanOrEqual(86_400_000);

    const table = await runCli(['keys', 'list'], env);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID +SCOPE +STATUS +PREFIX +CREATED +EXPIRES +NAME$/);
    expect(lines).toHaveLength(5);
    expect(table.stdout).toContain(created.id);
    expect(table.stdout).toMatch(
      new RegExp(`${created.id} +admin +active .*${created.expiresAt} +ops`),
    );
    for (const secret of [created.key, t.keys.write, t.keys.read, t.keys.admin]) {
      expect(table.stdout).not.toContain(secret);
    }
    const json = await runCli(['keys', 'list', '--json'], env);
    for (const secret of [created.key, t.keys.write, t.keys.read, t.keys.admin]) {
      expect(json.stdout).not.toContain(secret);
    }
  });

  it('revokes a key; the running system refuses it on its next request', async () => {
    expect((await send(t, 'GET', '/v1/profiles', t.keys.read)).statusCode).toBe(200);
    const read = (await list()).find((k) => k.scope === 'read')!;
    const r = await runCli(['keys', 'revoke', read.id], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Revoked read key ${read.id} `));
    const after = await send(t, 'GET', '/v1/profiles', t.keys.read);
    expect(after.statusCode).toBe(401);
    expect((await list()).find((k) => k.id === read.id)?.status).toBe('revoked');
  });

  it('rotates a key: the new one is printed once and works; with no grace the old one stops', async () => {
    const write = (await list()).find((k) => k.scope === 'write')!;
    const r = await runCli(['keys', 'rotate', write.id, '--grace-hours', '0', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const rotated = JSON.parse(r.stdout) as { key: string; previous: Listed };
    expect(rotated).toMatchObject({ scope: 'write', previous: { id: write.id } });
    const track = (key: string) =>
      send(t, 'POST', '/v1/track', key, { userId: 'u', event: 'E', messageId: key });
    expect((await track(rotated.key)).statusCode).toBe(200);
    expect((await track(t.keys.write)).statusCode).toBe(401);
  });

  it('refuses revoking the last working admin key, saying to create another first', async () => {
    const admins = (await list()).filter((k) => k.scope === 'admin');
    const first = admins.find((k) => k.name === null)!;
    const ops = admins.find((k) => k.name === 'ops')!;
    expect((await runCli(['keys', 'revoke', first.id], env)).code).toBe(0);
    const r = await runCli(['keys', 'revoke', ops.id], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('last working admin key');
    expect(r.stderr).toContain('rapport keys create --scope admin');
    expect((await list()).find((k) => k.id === ops.id)?.status).toBe('active');
  });

  it.each([
    [['keys', 'revoke', 'key_nope'], 'No API key "key_nope"'],
    [['keys', 'create', '--scope', 'read', '--expires-in', 'P1M'], '--expires-in: "P1M"'],
    [['keys', 'create', '--scope', 'read', '--expires-in', 'soon'], '--expires-in: "soon"'],
    [['keys', 'create', '--scope', 'owner'], "'owner' is invalid"],
    [['keys', 'rotate', 'key_nope'], 'No API key "key_nope"'],
    [
      ['keys', 'rotate', 'key_nope', '--grace-hours', '-1'],
      '--grace-hours: must be a whole number',
    ],
  ])('rapport %j fails clearly, without a stack trace', async (args, message) => {
    const r = await runCli(args, env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});
