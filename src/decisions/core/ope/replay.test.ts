import { describe, expect, it } from 'vitest';
import { contextFeatures } from './reward-model.js';
import { defaultLearners, isCheckpoint, replay } from './replay.js';
import { syntheticLog, syntheticProblem } from './synthetic.js';

describe('replay on a uniformly logged synthetic run', () => {
  const problem = syntheticProblem({ seed: 7, loggingBeta: 0, actions: 4 });
  const rows = syntheticLog(problem, 12_000, 7);
  const report = replay(rows, defaultLearners(contextFeatures(rows)), { seed: 7 });
  const by = Object.fromEntries(report.learners.map((l) => [l.name, l]));

  it('sees a uniform log and keeps about 1/K of the rows per learner', () => {
    expect(report.uniform).toBe(true);
    expect(report.actions).toBe(4);
    expect(by.uniform!.matched / rows.length).toBeGreaterThan(0.22);
    expect(by.uniform!.matched / rows.length).toBeLessThan(0.28);
  });

  it('the learners beat uniform choice, and the contextual ones beat the best single action', () => {
    for (const name of ['epsilon_greedy', 'thompson', 'linucb', 'linear_ts']) {
      expect(by[name]!.averageReward, name).toBeGreaterThan(by.uniform!.averageReward);
    }
    expect(by.linucb!.averageReward).toBeGreaterThan(report.bestAction.averageReward);
    expect(by.linear_ts!.averageReward).toBeGreaterThan(report.bestAction.averageReward);
    expect(by.uniform!.regret).toBeGreaterThan(0);
  });

  it('records checkpoints at 100, 200, 500, ... and the last row', () => {
    expect(by.thompson!.checkpoints.map((c) => c.rows)).toEqual([
      100, 200, 500, 1000, 2000, 5000, 10_000, 12_000,
    ]);
    expect(isCheckpoint(50)).toBe(false);
    const last = by.thompson!.checkpoints.at(-1)!;
    expect(last.matched).toBe(by.thompson!.matched);
  });

  it('notices a log that was not uniform', () => {
    const skewed = syntheticLog(syntheticProblem({ seed: 7, loggingBeta: 1 }), 300, 1);
    expect(replay(skewed, defaultLearners([]).slice(0, 1)).uniform).toBe(false);
  });
});
