// A candidate policy's target distribution for every logged row, so a log of decisions
// (which records what was done, not what a candidate would do) can be evaluated against
// any policy config and learned state.
import { seededRandom } from '../../../shared/index.js';
import { distribution } from '../policy.js';
import type { PolicyConfig, PolicyState } from '../types.js';
import type { EvaluatedRow, LoggedRow } from './rows.js';

/**
 * The rows with `target` replaced by the candidate's distribution. A row's candidates
 * are its `logging` distribution's actions when it has one, else every action the log
 * took. Randomised policies draw from `seededRandom("target:<seed>:<row>")`, so the
 * same rows and seed give the same targets.
 */
export function withPolicyTarget(
  rows: readonly LoggedRow[],
  config: PolicyConfig,
  state: PolicyState,
  seed = 1,
): EvaluatedRow[] {
  const logged = [...new Set(rows.map((r) => r.action))].sort();
  return rows.map((row, i) => {
    const actions = row.logging ? Object.keys(row.logging) : logged;
    const target = distribution(
      config,
      state,
      actions,
      { features: row.context },
      seededRandom(`target:${seed}:${i}`),
    );
    return { ...row, target };
  });
}
