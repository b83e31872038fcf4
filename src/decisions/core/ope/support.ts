// A candidate that puts probability on an action the log never took cannot be
// evaluated from that log: every estimator would be silently blind to it.
import { ValidationError } from '../../../shared/index.js';
import type { EvaluatedRow } from './rows.js';

/** Probability below this is treated as none (rounding in the files we read). */
const NEGLIGIBLE = 1e-9;

/**
 * Refuses, naming the actions and the target probability mass they carry, when the
 * target puts probability on an action that was never logged or, where a row carries
 * the logging distribution, on an action that row's logging policy could not take.
 */
export function checkSupport(rows: readonly EvaluatedRow[]): void {
  const logged = new Set(rows.map((r) => r.action));
  const unsupported = new Map<string, number>();
  let firstRowBlind = -1;
  rows.forEach((row, i) => {
    for (const [action, p] of Object.entries(row.target)) {
      if (p <= NEGLIGIBLE) continue;
      const perRow = row.logging !== undefined && !((row.logging[action] ?? 0) > 0);
      if (!logged.has(action) || perRow) {
        unsupported.set(action, (unsupported.get(action) ?? 0) + p / rows.length);
        if (firstRowBlind < 0) firstRowBlind = i;
      }
    }
  });
  if (unsupported.size === 0) return;
  const listed = [...unsupported]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([a, mass]) => `${a} (${(mass * 100).toFixed(2)}% of the target's choices)`);
  throw new ValidationError(
    `The target policy chooses actions the log does not support: ${listed.join(', ')}. ` +
      'No estimate can see their rewards: evaluate a target restricted to logged actions, ' +
      'or log with exploration over them first.',
    [
      {
        path: `rows.${firstRowBlind}.target`,
        problem: 'puts probability on an unsupported action',
      },
    ],
  );
}
