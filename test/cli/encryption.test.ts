import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores.js';

describe.each(STORE_KINDS)('rapport encryption (%s)', (kind) => {
  const stores: TestStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.cleanup();
  });
  const envFor = (s: TestStore) =>
    s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! };

  // Seven CLI processes, each loading the TypeScript sources: slow on a loaded machine.
  it(
    'generates a key, rotates to a second one, and says what to do without a key or with a bad one',
    { timeout: 240_000 },
    async () => {
      const s = await openTestStore(kind);
      stores.push(s);
      await s.store.close();
      const first = await runCli(['encryption', 'generate-key']);
      expect(first.code).toBe(0);
      const a = first.stdout.trim();
      expect(Buffer.from(a, 'base64')).toHaveLength(32);
      const b = (await runCli(['encryption', 'generate-key'])).stdout.trim();
      expect(b).not.toBe(a);

      const none = await runCli(['encryption', 'rotate'], envFor(s));
      expect(none.code).not.toBe(0);
      expect(none.stderr).toMatch(/RAPPORT_ENCRYPTION_KEY is not set: generate one with/);

      const bad = await runCli(['encryption', 'reencrypt'], {
        ...envFor(s),
        RAPPORT_ENCRYPTION_KEY: 'not-a-key',
      });
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/RAPPORT_ENCRYPTION_KEY: must be 32 random bytes/);
      expect(bad.stderr).not.toContain('not-a-key');

      const sealed = await runCli(['encryption', 'reencrypt'], {
        ...envFor(s),
        RAPPORT_ENCRYPTION_KEY: a,
      });
      expect(sealed.code, sealed.stderr).toBe(0);
      expect(sealed.stdout).toMatch(/^Re-encrypted \d+ rows under the current data key/);

      const rotated = await runCli(['encryption', 'rotate', '--batch', '2'], {
        ...envFor(s),
        RAPPORT_ENCRYPTION_KEY: b,
        RAPPORT_ENCRYPTION_KEY_PREVIOUS: a,
      });
      expect(rotated.code, rotated.stderr).toBe(0);
      expect(rotated.stdout).toMatch(
        /^Re-wrapped 2 keys under the current master key; data key dek_/,
      );

      const old = await runCli(['encryption', 'reencrypt'], {
        ...envFor(s),
        RAPPORT_ENCRYPTION_KEY: a,
      });
      expect(old.code).not.toBe(0);
      expect(old.stderr).toMatch(/RAPPORT_ENCRYPTION_KEY does not open this database's keys/);
    },
  );
});
