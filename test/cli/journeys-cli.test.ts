import { afterAll, describe, expect, it } from 'vitest';
import { createJourney } from '../../src/journeys/index.js';
import { systemClock } from '../../src/shared/index.js';
import { ensureDefaultWorkspace } from '../../src/workspaces/index.js';
import { runCli } from '../helpers/cli.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../helpers/stores.js';

describe.each(STORE_KINDS)('rapport journeys and segments commands (%s)', (kind) => {
  const stores: TestStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.cleanup();
  });

  it('lists, shows and reports on journeys; lists segments; refuses unknown ids', async () => {
    const s = await openTestStore(kind);
    stores.push(s);
    await ensureDefaultWorkspace(s.store.db, systemClock);
    const j = await createJourney(s.store.db, systemClock, 'default', {
      recipe: 'cart_abandonment',
      params: { delay: 'PT1H', channel: 'webhook', webhookUrl: 'http://127.0.0.1:9/x' },
      activate: true,
    });
    await s.store.close();
    const env = s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! };
    const list = await runCli(['journeys', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${j.id}\\s+active\\s+1\\s+Cart abandonment`, 'm'));
    const show = await runCli(['journeys', 'show', j.id], env);
    expect(JSON.parse(show.stdout)).toMatchObject({
      id: j.id,
      definition: { trigger: { event: 'Product Added' } },
    });
    const stats = await runCli(['journeys', 'stats', j.id], env);
    expect(stats.stdout).toContain('Runs: 0 treated, 0 holdout.');
    expect(stats.stdout).toMatch(/^send_reminder\s+send\s+0\/0/m);
    const missing = await runCli(['journeys', 'stats', 'nope'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('No journey "nope"');
    const segments = await runCli(['segments', 'list'], env);
    expect(segments.stdout).toMatch(/^rfm_champions\s+0\s+RFM: Champions/m);
    const recompute = await runCli(['segments', 'recompute', '--check'], env);
    expect(recompute.code).toBe(0);
    expect(recompute.stdout).toMatch(
      /Evaluated 17 segments for 0 profiles: 0 memberships differed/,
    );
  });
});
