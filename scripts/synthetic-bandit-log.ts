// Writes a seeded synthetic bandit log in the `rapport eval policy` JSON-lines format and
// prints the target policy's true value, so the estimators can be checked by hand:
//   node --import tsx scripts/synthetic-bandit-log.ts --rows 5000 --seed 3 --out log.jsonl
//   node --import tsx scripts/synthetic-bandit-log.ts --uniform --rows 50000 --seed 7 --out u.jsonl
// --uniform logs actions uniformly at random (what `--replay` needs) and omits targets.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  syntheticLog,
  syntheticProblem,
  trueTargetValue,
} from '../src/decisions/core/ope/synthetic.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    actions: { type: 'string', default: '5' },
    uniform: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const rows = Number(values.rows);
const seed = Number(values.seed);
const actions = Number(values.actions);
if (!values.out || !(rows > 0) || !Number.isInteger(seed) || !(actions > 1)) {
  process.stderr.write(
    'usage: synthetic-bandit-log.ts --out FILE [--rows N] [--seed S] [--actions K] [--uniform]\n',
  );
  process.exit(2);
}
const problem = syntheticProblem({ seed, actions, loggingBeta: values.uniform ? 0 : 1 });
const lines = syntheticLog(problem, rows, seed).map(({ logging: _, target, ...row }) =>
  JSON.stringify(values.uniform ? row : { ...row, target }),
);
writeFileSync(values.out, `${lines.join('\n')}\n`);
process.stdout.write(
  `${JSON.stringify({ rows, seed, actions, trueTargetValue: trueTargetValue(problem) })}\n`,
);
