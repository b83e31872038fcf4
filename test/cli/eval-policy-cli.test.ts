import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  syntheticLog,
  syntheticProblem,
  trueTargetValue,
} from '../../src/decisions/core/ope/synthetic.js';
import { ROOT, runCli } from '../helpers/cli.js';

interface Estimate {
  value: number;
  ci: [number, number];
}
interface EvalPolicyJson {
  estimates: Record<'ips' | 'snips' | 'dm' | 'dr' | 'switch_dr' | 'sndr', Estimate>;
  ess: number;
  n: number;
  reference?: { onPolicyCtr: number };
}

const dir = mkdtempSync(join(tmpdir(), 'rapport-eval-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runCli(['eval', 'policy', ...args]);
const writeLines = (name: string, rows: readonly unknown[]) => {
  const file = join(dir, name);
  writeFileSync(
    file,
    rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n',
  );
  return file;
};

// Each case starts the CLI under tsx; on a loaded machine that alone can take 15 s.
describe('rapport eval policy', { timeout: 120_000 }, () => {
  it('--json on a synthetic log recovers the known value of the target within its interval', async () => {
    const problem = syntheticProblem({ seed: 11 });
    const truth = trueTargetValue(problem);
    // Exactly the documented format: the logging distribution is not part of it.
    const rows = syntheticLog(problem, 3000, 11).map(({ logging: _, ...row }) => row);
    const res = await run([
      '--data',
      writeLines('synthetic.jsonl', rows),
      '--json',
      '--bootstrap',
      '100',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as EvalPolicyJson;
    expect(out.n).toBe(3000);
    expect(out.ess).toBeGreaterThan(100);
    expect(out.ess).toBeLessThan(3000);
    const dr = out.estimates.dr;
    expect(dr.ci[0]).toBeLessThanOrEqual(truth);
    expect(dr.ci[1]).toBeGreaterThanOrEqual(truth);
    expect(Math.abs(dr.value - truth) / truth).toBeLessThan(0.1);
    for (const name of ['ips', 'snips', 'dm', 'switch_dr', 'sndr'] as const) {
      expect(out.estimates[name].ci[0]).toBeLessThanOrEqual(out.estimates[name].value);
    }
  });

  it('prints a table by default', async () => {
    const rows = [
      { context: { x: 1 }, action: 'a1', reward: 1, propensity: 0.5, target: { a1: 0.5, a2: 0.5 } },
      { context: { x: 0 }, action: 'a2', reward: 0, propensity: 0.5, target: { a1: 1 } },
      { context: { x: 1 }, action: 'a1', reward: 0, propensity: 0.5, target: { a1: 1 } },
    ];
    const ok = await run(['--data', writeLines('tiny.jsonl', rows), '--bootstrap', '20']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ips +[\d.]+ +\[/m);
    expect(ok.stdout).toMatch(/^sndr +/m);
    expect(ok.stdout).toMatch(/effective sample size/);
  });

  it('refuses a target the log does not support, naming the action', async () => {
    const rows = [
      { context: { x: 1 }, action: 'a1', reward: 1, propensity: 0.5, target: { a1: 1 } },
      { context: { x: 0 }, action: 'a2', reward: 0, propensity: 0.5, target: { a1: 1 } },
    ];
    const unsupported = [...rows, { ...rows[0]!, target: { a1: 0.2, a9: 0.8 } }];
    const refused = await run(['--data', writeLines('unsupported.jsonl', unsupported)]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/does not support: a9 \(26\.67% of the target's choices\)/);
  });

  it('names the line and field of a bad row', async () => {
    const good = { context: {}, action: 'a', reward: 1, propensity: 0.5, target: { a: 1 } };
    const res = await run(['--data', writeLines('bad.jsonl', [good, { ...good, propensity: 0 }])]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/bad\.jsonl line 2: propensity: /);
  });

  it('--policy evaluates a candidate config on a log without targets', async () => {
    const problem = syntheticProblem({ seed: 5, loggingBeta: 0, actions: 3 });
    const rows = syntheticLog(problem, 2000, 5).map(({ logging: _, target: __, ...row }) => row);
    const picked = rows.filter((r) => r.action === 'a2');
    const mean = picked.reduce((s, r) => s + r.reward, 0) / picked.length;
    const file = writeLines('no-targets.jsonl', rows);
    const res = await run([
      '--data',
      file,
      '--policy',
      '{"kind":"fixed","order":["a2"]}',
      '--json',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as EvalPolicyJson;
    // Uniform log, one action always: SNIPS is exactly that action's logged mean.
    expect(out.estimates.snips.value).toBeCloseTo(mean, 10);
  });

  it('--policy refuses a bad config, naming the field', async () => {
    const file = writeLines('one.jsonl', [{ context: {}, action: 'a', reward: 1, propensity: 1 }]);
    const bad = await run(['--data', file, '--policy', '{"kind":"epsilon_greedy","epsilon":3}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--policy\.epsilon: Too big/);
  });

  it('--replay --json compares the learners on a uniformly logged file', async () => {
    const problem = syntheticProblem({ seed: 5, loggingBeta: 0, actions: 3 });
    const rows = syntheticLog(problem, 3000, 5).map(({ logging: _, target: __, ...row }) => row);
    const res = await run(['--data', writeLines('uniform.jsonl', rows), '--replay', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as {
      uniform: boolean;
      learners: { name: string; matched: number; checkpoints: { rows: number }[] }[];
    };
    expect(out.uniform).toBe(true);
    expect(out.learners.map((l) => l.name)).toEqual([
      'uniform',
      'epsilon_greedy',
      'thompson',
      'linucb',
      'linear_ts',
    ]);
    for (const l of out.learners) {
      expect(l.matched).toBeGreaterThan(800);
      expect(l.checkpoints.at(-1)!.rows).toBe(3000);
    }
  });

  it('--obd runs end to end on the Open Bandit Dataset slice (a code path, ~3 clicks)', async () => {
    const obd = join(ROOT, 'test/fixtures/open_bandit_dataset');
    const res = await run(['--obd', obd, '--campaign', 'men', '--json', '--bootstrap', '50']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as EvalPolicyJson;
    expect(out.n).toBe(200);
    expect(out.reference?.onPolicyCtr).toBeCloseTo(3 / 200, 10);
    // Two clicks in 200 uniform rows: every estimate is small and non-negative.
    expect(out.estimates.ips.value).toBeGreaterThanOrEqual(0);
    expect(out.estimates.ips.value).toBeLessThan(0.1);
  });

  it('--obd names the file a campaign lacks', async () => {
    const obd = join(ROOT, 'test/fixtures/open_bandit_dataset');
    const missing = await run(['--obd', obd, '--campaign', 'women']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/random\/women\/women\.csv/);
  });
});
