import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../helpers/stores.js';

const FILE = new URL('../fixtures/profiles/online-retail-customers.csv', import.meta.url).pathname;

describe.each(STORE_KINDS)(
  'rapport import and profiles rebuild from the command line (%s)',
  (kind) => {
    const stores: TestStore[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'rapport-cli-import-'));
    afterAll(async () => {
      for (const s of stores) await s.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports with plain progress lines off a terminal, idempotently, and rebuild finds no drift', async () => {
      const s = await openTestStore(kind);
      stores.push(s);
      await s.store.close();
      const env = {
        ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! }),
        CI: 'true',
      };
      const args = [
        'import',
        'events',
        FILE,
        '--preset',
        'online-retail',
        '--rejects',
        join(dir, 'r.jsonl'),
      ];
      const first = await runCli(args, env);
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/^import events: 100% /m);
      expect(first.stderr).toMatch(/^build profiles: 100% /m);
      expect(first.stdout).toContain('Read 1,118 rows');
      expect(first.stdout).toMatch(/Events: [\d,]+ imported, 0 already there\./);

      const second = await runCli([...args, '--json'], env);
      expect(second.code).toBe(0);
      const summary = JSON.parse(second.stdout) as { events: number; duplicates: number };
      expect(summary.events).toBe(0);
      expect(summary.duplicates).toBeGreaterThan(0);

      const rebuild = await runCli(['profiles', 'rebuild', '--dry-run'], env);
      expect(rebuild.code).toBe(0);
      expect(rebuild.stdout).toMatch(
        /Checked 21 profiles from [\d,]+ events: 0 differed from the log\./,
      );
    });

    it.each([
      [['import', 'things', FILE], 'events, profiles or catalog'],
      [['import', 'events', FILE, '--preset', 'nope'], 'Unknown preset'],
      [['import', 'events', FILE, '--map', 'nonsense'], 'target=column'],
      [['import', 'events', '/no/such/file.csv'], '/no/such/file.csv'],
    ])('refuses %j with a message saying what to do', async (args, message) => {
      const res = await runCli(args, { RAPPORT_DATA_DIR: dir });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain(message);
    });
  },
);
