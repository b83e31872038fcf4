import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordExposures } from '../../src/measurement/assignments.js';
import { systemClock } from '../../src/shared/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('rapport report (%s)', (kind) => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: systemClock });
    const s = t.testStore;
    env = s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : { RAPPORT_DATA_DIR: s.dataDir! };
    const made = await send(t, 'POST', '/v1/experiments', t.keys.admin, {
      id: 'subject-lines',
      kind: 'template',
      subjectId: 'welcome',
      arms: [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 1 },
      ],
      controlArm: 'a',
    });
    expect(made.statusCode, made.body).toBe(201);
    const at = systemClock.now() - 86_400_000;
    await recordExposures(t.ctx.store.db, [
      ...Array.from({ length: 30 }, (_, i) => ({
        workspaceId: 'default',
        experimentId: 'subject-lines',
        profileId: `p${i}`,
        arm: i % 2 === 0 ? 'a' : 'b',
        at,
      })),
      ...Array.from({ length: 20 }, (_, i) => ({
        workspaceId: 'default',
        experimentId: 'global_control',
        profileId: `p${i}`,
        arm: i < 2 ? 'control' : 'treatment',
        at,
      })),
    ]);
  });
  afterAll(() => t.close());

  it('prints an experiment as JSON and as tables', async () => {
    const json = await runCli(['report', 'experiment', 'subject-lines', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.arms.map((a: { people: number }) => a.people)).toEqual([15, 15]);
    expect(report.srm.mismatch).toBe(false);
    const table = await runCli(['report', 'experiment', 'subject-lines'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ARM +PEOPLE +CONVERSIONS +RATE +REVENUE\/PERSON$/m);
    expect(table.stdout).toMatch(/^a \(control\) +15 +0 +0\.00%/m);
    expect(table.stdout).toContain('b vs a');
    expect(table.stdout).toContain('Sample ratio: 15 / 15');
  });

  it('prints the program against the global control group', async () => {
    const json = await runCli(['report', 'program', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.experiment.id).toBe('global_control');
    expect(report.arms).toEqual([
      expect.objectContaining({ arm: 'control', people: 2 }),
      expect.objectContaining({ arm: 'treatment', people: 18 }),
    ]);
  });

  it('says which experiment is unknown and how to list them', async () => {
    const r = await runCli(['report', 'experiment', 'nope'], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no experiment "nope"');
    expect(r.stderr).toContain('GET /v1/experiments');
  });
});
