import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOffer } from '../../src/decisions/index.js';
import { systemClock } from '../../src/shared/index.js';
import { ensureDefaultWorkspace } from '../../src/workspaces/index.js';
import { runCli } from '../helpers/cli.js';
import { STORE_KINDS, openTestStore, reopenStore, type TestStore } from '../helpers/stores.js';

describe.each(STORE_KINDS)('rapport offers import-codes (%s)', (kind) => {
  const stores: TestStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.cleanup();
  });

  it(
    'imports each code once, names a bad line, and refuses an unknown offer',
    { timeout: 120_000 },
    async () => {
      const s = await openTestStore(kind);
      stores.push(s);
      await ensureDefaultWorkspace(s.store.db, systemClock);
      await createOffer(s.store.db, systemClock, 'default', {
        id: 'vip',
        name: 'VIP',
        kind: 'discount_code',
        codes: true,
      });
      await s.store.close();
      const env = s.databaseUrl
        ? { DATABASE_URL: s.databaseUrl }
        : { RAPPORT_DATA_DIR: s.dataDir! };
      const dir = mkdtempSync(join(tmpdir(), 'codes-'));
      const good = join(dir, 'codes.txt');
      writeFileSync(good, 'A-1\nA-2\n\nA-2\r\nA-3\n');
      const first = await runCli(['offers', 'import-codes', 'vip', good, '--json'], env);
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual({ imported: 3, duplicates: 1, free: 3 });
      const again = await runCli(['offers', 'import-codes', 'vip', good], env);
      expect(again.stdout).toContain(
        'Imported 0 codes into offer "vip" (4 already there); 3 free.',
      );

      const bad = join(dir, 'bad.txt');
      writeFileSync(bad, 'B-1\nhas space\n');
      const refused = await runCli(['offers', 'import-codes', 'vip', bad], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('line 2');
      const unknown = await runCli(['offers', 'import-codes', 'nope', good], env);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toContain('No offer "nope"');

      const store = reopenStore(s);
      try {
        const rows = await store.db
          .selectFrom('offer_codes')
          .select('code')
          .orderBy('code')
          .execute();
        expect(rows.map((r) => r.code)).toEqual(['A-1', 'A-2', 'A-3']);
      } finally {
        await store.close();
      }
    },
  );
});
