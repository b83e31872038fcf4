import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/index.js';
import { evaluatePolicy } from './estimators.js';
import type { EvaluatedRow } from './rows.js';
import { syntheticLog, syntheticProblem, trueTargetValue } from './synthetic.js';
import { withPolicyTarget } from './targets.js';
import { PolicyConfig } from '../types.js';

describe('estimators on synthetic logs with a known target value', () => {
  const seeds = [1, 2, 3, 4, 5];
  const runs = seeds.map((seed) => {
    const problem = syntheticProblem({ seed });
    const truth = trueTargetValue(problem);
    const report = evaluatePolicy(syntheticLog(problem, 4000, seed * 101), {
      seed,
      bootstrap: 200,
    });
    return { truth, report };
  });

  it('DR lands within 10% of the truth in most seeds', () => {
    const close = runs.filter(
      ({ truth, report }) => Math.abs(report.estimates.dr.value - truth) / truth < 0.1,
    );
    expect(close.length).toBeGreaterThanOrEqual(4);
  });

  it.each(['ips', 'snips', 'dr', 'switch_dr', 'sndr'] as const)(
    '%s intervals cover the truth in most seeds',
    (name) => {
      const covered = runs.filter(({ truth, report }) => {
        const [lo, hi] = report.estimates[name].ci;
        return lo <= truth && truth <= hi;
      });
      expect(covered.length).toBeGreaterThanOrEqual(4);
    },
  );

  it('IPS is unbiased: its average error over seeds is small next to its spread', () => {
    const errors = runs.map(({ truth, report }) => report.estimates.ips.value - truth);
    const mean = errors.reduce((s, e) => s + e, 0) / errors.length;
    const halfWidth = runs.map(
      ({ report }) => (report.estimates.ips.ci[1] - report.estimates.ips.ci[0]) / 2,
    );
    expect(Math.abs(mean)).toBeLessThan(halfWidth.reduce((s, h) => s + h, 0) / halfWidth.length);
  });

  it('the target differs from the logging policy, so the test is not trivial', () => {
    for (const { truth, report } of runs) {
      expect(Math.abs(report.logged - truth) / truth).toBeGreaterThan(0.1);
      expect(report.ess).toBeLessThan(report.n);
      expect(report.ess).toBeGreaterThan(report.n / 20);
    }
  });

  it('is reproducible from its seed', () => {
    const problem = syntheticProblem({ seed: 1 });
    const rows = syntheticLog(problem, 500, 3);
    expect(evaluatePolicy(rows, { seed: 9 })).toEqual(evaluatePolicy(rows, { seed: 9 }));
  });
});

describe('refusals', () => {
  const row = (action: string, target: Record<string, number>): EvaluatedRow => ({
    context: { x: 1 },
    action,
    reward: 1,
    propensity: 0.5,
    target,
  });

  it('refuses a target choosing an action the log never took, naming it', () => {
    const rows = [row('a', { a: 0.5, b: 0.2, c: 0.3 }), row('b', { a: 1 })];
    expect(() => evaluatePolicy(rows)).toThrow(ValidationError);
    expect(() => evaluatePolicy(rows)).toThrow(/c \(15\.00% of the target's choices\)/);
  });

  it("refuses a target outside a row's logging support", () => {
    const rows = [
      { ...row('a', { a: 0.5, b: 0.5 }), logging: { a: 1, b: 0 } },
      { ...row('b', { b: 1 }), logging: { a: 0.5, b: 0.5 } },
    ];
    expect(() => evaluatePolicy(rows)).toThrow(/b \(/);
  });

  it('refuses fewer than two rows', () => {
    expect(() => evaluatePolicy([row('a', { a: 1 })])).toThrow(/at least 2/);
  });
});

describe('a candidate policy as the target', () => {
  it('evaluates a policy config on a log without targets, and a wrong target is refused', () => {
    const problem = syntheticProblem({ seed: 4, loggingBeta: 0, actions: 3 });
    const rows = syntheticLog(problem, 3000, 4).map(({ target: _, logging: __, ...r }) => r);
    const mean = (a: string) => {
      const picked = rows.filter((r) => r.action === a);
      return picked.reduce((s, r) => s + r.reward, 0) / picked.length;
    };
    // A fixed policy on one action, from a uniform log: its value is that action's mean.
    const fixed = PolicyConfig.parse({ kind: 'fixed', order: ['a1'] });
    const report = evaluatePolicy(withPolicyTarget(rows, fixed, { arms: {} }), { bootstrap: 50 });
    expect(Math.abs(report.estimates.ips.value - mean('a1'))).toBeLessThan(0.05);
    expect(report.estimates.snips.value).toBeCloseTo(mean('a1'), 10);
    const [lo, hi] = report.estimates.snips.ci;
    expect(lo).toBeLessThan(mean('a1'));
    expect(hi).toBeGreaterThan(mean('a1'));
  });
});
