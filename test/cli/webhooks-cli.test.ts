import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/shared/index.js';
import { ensureDefaultWorkspace, webhookSigningSecrets } from '../../src/workspaces/index.js';
import { runCli } from '../helpers/cli.js';
import { STORE_KINDS, openTestStore, reopenStore, type TestStore } from '../helpers/stores.js';

describe.each(STORE_KINDS)('rapport webhooks secret (%s)', (kind) => {
  const stores: TestStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.cleanup();
  });

  it('rotates and prints the new secret once; show gives only its fingerprint; bad hours exit 2', async () => {
    const s = await openTestStore(kind);
    stores.push(s);
    await ensureDefaultWorkspace(s.store.db, systemClock);
    const [initial] = await webhookSigningSecrets(s.store.db, systemClock, 'default');
    await s.store.close();
    const env = s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! };

    const rotate = await runCli(['webhooks', 'secret', 'rotate', '--json'], env);
    expect(rotate.code, rotate.stderr).toBe(0);
    const rotated = JSON.parse(rotate.stdout);
    expect(rotated.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(rotated.previous).toMatchObject({ fingerprint: expect.stringMatching(/^sha256:/) });

    const show = await runCli(['webhooks', 'secret', 'show'], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`current   ${rotated.fingerprint}`);
    expect(show.stdout).toContain(`previous  ${rotated.previous.fingerprint}`);
    expect(show.stdout).not.toContain('whsec_');

    const bad = await runCli(['webhooks', 'secret', 'rotate', '--overlap-hours', '200'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--overlap-hours: must be a whole number from 0 to 168');

    const store = reopenStore(s);
    try {
      expect(await webhookSigningSecrets(store.db, systemClock, 'default')).toEqual([
        rotated.secret,
        initial,
      ]);
    } finally {
      await store.close();
    }
  });
});
