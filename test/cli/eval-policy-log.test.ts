// `rapport eval policy --log`: the workspace's own decision log as the input of
// off-policy evaluation (issue #15), read from the store a running server writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { decide, offer, person, placement } from '../decisions/fixtures.js';

describe('rapport eval policy --log (sqlite)', () => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    env = { RAPPORT_DATA_DIR: t.testStore.dataDir!, DATABASE_URL: '' };
    await offer(t, 'none', { kind: 'no_offer' });
    await offer(t, 'a');
    await offer(t, 'b');
    await placement(t, 'hero', {
      candidates: ['a', 'b'],
      default: 'none',
      policy: { kind: 'weighted', weights: { a: 1, b: 1 } },
    });
    for (let i = 0; i < 40; i++) {
      await person(t, `p${i}`);
      await decide(t, { placement: 'hero', userId: `p${i}` });
    }
    // A planted outcome: everyone shown "a" clicked, nobody shown "b".
    await t.ctx.store.db
      .updateTable('decisions')
      .set({ reward: 1 })
      .where('offer_id', '=', 'a')
      .execute();
  }, 120_000);
  afterAll(async () => t.close());

  it('evaluates a candidate policy on the logged decisions', async () => {
    const r = await runCli(
      ['eval', 'policy', '--log', '--policy', '{"kind":"fixed","order":["a","b"]}', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      n: number;
      estimates: Record<string, { value: number; ci: [number, number] }>;
    };
    expect(out.n).toBe(40);
    // Always "a", which always paid: self-normalized IPS recovers exactly 1.
    expect(out.estimates.snips!.value).toBeCloseTo(1, 9);
    expect(out.estimates.ips!.ci[0]).toBeLessThanOrEqual(out.estimates.ips!.value);
  }, 120_000);

  it('asks for a candidate policy, since the log holds no targets', async () => {
    const r = await runCli(['eval', 'policy', '--log', '--json'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--policy');
  }, 120_000);

  it('names an unknown workspace', async () => {
    const r = await runCli(
      ['eval', 'policy', '--log', '--workspace', 'nope', '--policy', '{"kind":"fixed"}'],
      env,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('No workspace "nope"');
  }, 120_000);
});
