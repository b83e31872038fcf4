import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRejectsPath } from '../../src/importer/index.js';
import { runCli } from '../helpers/cli.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../helpers/stores.js';

const FIX = new URL('../fixtures/', import.meta.url).pathname;

it('names the default rejects file for the input and the run, next to the input', () => {
  expect(defaultRejectsPath(['/d/in/orders.csv.gz'], Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe(
    '/d/in/orders.20260102T030405Z.rejects.jsonl',
  );
  expect(defaultRejectsPath(['/d/x.jsonl', '/e/y.jsonl'], 0)).toBe(
    '/d/x.19700101T000000Z.rejects.jsonl',
  );
});

describe.each(STORE_KINDS)('rapport import summary (%s)', (kind) => {
  const stores: TestStore[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'rapport-import-summary-'));
  afterAll(async () => {
    for (const s of stores) await s.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = async () => {
    const s = await openTestStore(kind);
    stores.push(s);
    await s.store.close();
    return {
      ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! }),
      CI: 'true',
    };
  };

  it('writes rejects next to the input, and counts what the server still has to process', async () => {
    const input = join(dir, 'events.csv');
    copyFileSync(`${FIX}import/events.csv`, input);
    const maps = ['userId=user', 'event=kind', 'timestamp=when', 'properties.product_id=sku'];
    const res = await runCli(
      ['import', 'events', input, '--no-process', ...maps.flatMap((m) => ['--map', m])],
      await env(),
    );
    expect(res.code, res.stderr).toBe(0);
    const written = readdirSync(dir).filter((f) => f.endsWith('.rejects.jsonl'));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^events\.\d{8}T\d{6}Z\.rejects\.jsonl$/);
    expect(res.stdout).toContain(`Rejected: 4 (see ${join(dir, written[0]!)})`);
    expect(readFileSync(join(dir, written[0]!), 'utf8').trim().split('\n')).toHaveLength(4);
    expect(res.stdout).toContain(
      '3 events wait for the profile stage: a running `rapport start` on this store processes them.',
    );
  });

  it('reports rows without a customer as skipped, not rejected, and nothing left to process', async () => {
    const res = await runCli(
      [
        'import',
        'events',
        `${FIX}online-retail/customer-14096-large-orders.csv.gz`,
        '--preset',
        'online-retail',
      ],
      await env(),
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('Rejected: 0.');
    expect(res.stdout).toContain('Skipped, not errors: 5 rows (no CustomerID).');
    expect(res.stdout).toContain('nothing is left for the server to process');
    // No rejects, so no file next to the fixture.
    expect(readdirSync(`${FIX}online-retail`).some((f) => f.includes('rejects'))).toBe(false);
  });
});
