import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/audit-query.js';
import { systemClock } from '../../src/shared/index.js';
import {
  createWorkspace,
  ensureDefaultWorkspace,
  listApiKeys,
  webhookSigningSecrets,
} from '../../src/workspaces/index.js';
import { runCli } from '../helpers/cli.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../helpers/stores.js';

// `--workspace ID` points `rapport keys` and `rapport webhooks` at one workspace; the
// others are left as they were.
describe.each(STORE_KINDS)('rapport keys/webhooks --workspace (%s)', (kind) => {
  let s: TestStore;
  let env: NodeJS.ProcessEnv;
  let defaultKeys: string[];
  beforeAll(async () => {
    s = await openTestStore(kind);
    await ensureDefaultWorkspace(s.store.db, systemClock);
    const made = await createWorkspace(s.store, systemClock, { id: 'acme', name: 'Acme' });
    expect(made.kind).toBe('ok');
    defaultKeys = (await listApiKeys(s.store.db, systemClock, 'default')).map((k) => k.id);
    env = s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! };
  });
  afterAll(() => s.cleanup());

  it('creates, lists, rotates and revokes the keys of the workspace named', async () => {
    const made = await runCli(
      ['keys', 'create', '--workspace', 'acme', '--scope', 'public', '--json'],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    const created = JSON.parse(made.stdout) as { id: string; key: string; scope: string };
    expect(created.scope).toBe('public');
    expect(created.key).toMatch(/^rk_public_/);
    const acme = await listApiKeys(s.store.db, systemClock, 'acme');
    expect(acme.map((k) => k.id)).toContain(created.id);
    const dflt = await listApiKeys(s.store.db, systemClock, 'default');
    expect(dflt.map((k) => k.id)).toEqual(defaultKeys);

    const list = await runCli(['keys', 'list', '--workspace', 'acme', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout) as { id: string; scope: string }[];
    expect(listed.map((k) => k.id).sort()).toEqual(acme.map((k) => k.id).sort());
    expect(listed.map((k) => k.scope).sort()).toEqual(['admin', 'public']);

    // A key of another workspace is not found through this one.
    const wrong = await runCli(['keys', 'revoke', created.id], env);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(`No API key "${created.id}" in workspace "default"`);

    const rotated = await runCli(
      ['keys', 'rotate', created.id, '--workspace', 'acme', '--grace-hours', '0', '--json'],
      env,
    );
    expect(rotated.code, rotated.stderr).toBe(0);
    const newId = (JSON.parse(rotated.stdout) as { id: string }).id;
    const revoke = await runCli(['keys', 'revoke', newId, '--workspace', 'acme'], env);
    expect(revoke.code, revoke.stderr).toBe(0);
    const after = await listApiKeys(s.store.db, systemClock, 'acme');
    expect(after.find((k) => k.id === newId)?.status).toBe('revoked');

    // The audit entries are acme's, not the default workspace's.
    const audit = await listAudit(s.store.db, 'acme', { limit: 50 });
    expect(audit.entries.map((e) => e.action).sort()).toEqual(
      expect.arrayContaining(['key.create', 'key.revoke', 'key.rotate']),
    );
    const defaultAudit = await listAudit(s.store.db, 'default', { limit: 50 });
    expect(defaultAudit.entries.filter((e) => e.action.startsWith('key.'))).toEqual([]);
  }, 300_000);

  it("rotates and shows the named workspace's webhook secret only", async () => {
    const [defaultBefore] = await webhookSigningSecrets(s.store.db, systemClock, 'default');
    const rotate = await runCli(
      ['webhooks', 'secret', 'rotate', '--workspace', 'acme', '--overlap-hours', '0', '--json'],
      env,
    );
    expect(rotate.code, rotate.stderr).toBe(0);
    const rotated = JSON.parse(rotate.stdout) as { secret: string; fingerprint: string };
    expect(await webhookSigningSecrets(s.store.db, systemClock, 'acme')).toEqual([rotated.secret]);
    expect(await webhookSigningSecrets(s.store.db, systemClock, 'default')).toEqual([
      defaultBefore,
    ]);
    const show = await runCli(['webhooks', 'secret', 'show', '--workspace', 'acme'], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`current   ${rotated.fingerprint}`);
  }, 120_000);

  it('refuses an unknown or malformed workspace before changing anything', async () => {
    const before = await listApiKeys(s.store.db, systemClock, 'default');
    for (const args of [
      // One command per way in: create, the id-taking ones, and webhooks (each is a
      // process start, seconds on a loaded machine).
      ['keys', 'create', '--scope', 'read', '--workspace', 'nope'],
      ['keys', 'rotate', 'key_x', '--workspace', 'nope'],
      ['webhooks', 'secret', 'rotate', '--workspace', 'nope'],
    ]) {
      const r = await runCli(args, env);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toContain('No workspace "nope"');
      expect(r.stderr).toContain('rapport workspaces list');
    }
    const bad = await runCli(['keys', 'list', '--workspace', 'Not A Workspace'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--workspace: must be lowercase letters');
    expect(await listApiKeys(s.store.db, systemClock, 'default')).toEqual(before);
  }, 300_000);
});
