// `rapport eval policy`: what a candidate policy would earn, estimated from logged
// decisions before it touches a customer; `--replay` compares the online learners on a
// uniformly logged file. The row source is a parameter, so the decision log plugs in.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  ESTIMATORS,
  contextFeatures,
  decisionLogRows,
  defaultLearners,
  evaluatePolicy,
  replay,
  withPolicyTarget,
  PolicyConfig,
  PolicyState,
  type EvaluatedRow,
  type OpeReport,
  type ReplayReport,
} from '../decisions/index.js';
import { createProgress } from '../importer/index.js';
import { ValidationError, zodDetails } from '../shared/index.js';
import { collectRows, jsonLinesRows, obdRows, type RowSource } from './eval-policy-rows.js';
import { withStore, workspaceOf } from './store-command.js';

export interface EvalPolicyOptions {
  /** A candidate policy whose distribution replaces every row's target. */
  policy?: { config: PolicyConfig; state: PolicyState } | undefined;
  bootstrap: number;
  seed: number;
  folds: number;
  switchTau: number;
}

/** The `--json` answer of an off-policy evaluation. */
export interface EvalPolicyJson {
  estimates: OpeReport['estimates'];
  ess: number;
  n: number;
  diagnostics: { logged: number; maxWeight: number; switched: number; features: number };
  reference?: { onPolicyCtr: number };
}

export function opeJson(report: OpeReport): EvalPolicyJson {
  return {
    estimates: report.estimates,
    ess: report.ess,
    n: report.n,
    diagnostics: {
      logged: report.logged,
      maxWeight: report.maxWeight,
      switched: report.switched,
      features: report.features.length,
    },
  };
}

/** Off-policy estimates from any source of rows carrying a target. */
export async function runEvalPolicy(
  source: RowSource,
  options: EvalPolicyOptions,
): Promise<OpeReport> {
  const logged = await collectRows(source, !options.policy);
  const rows = options.policy
    ? withPolicyTarget(logged, options.policy.config, options.policy.state, options.seed)
    : (logged as EvaluatedRow[]);
  return evaluatePolicy(rows, {
    bootstrap: options.bootstrap,
    seed: options.seed,
    folds: options.folds,
    switchTau: options.switchTau,
  });
}

/** The replay comparison of the online learners from any source of uniformly logged rows. */
export async function runReplay(source: RowSource, seed: number): Promise<ReplayReport> {
  const rows = await collectRows(source, false);
  const progress =
    rows.length >= 20_000 ? createProgress('Replaying', rows.length, { unit: ' rows' }) : null;
  const report = replay(rows, defaultLearners(contextFeatures(rows, 16)), {
    seed,
    onProgress: (done) => progress?.update(done),
  });
  progress?.stop();
  return report;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));

export function formatOpe(report: OpeReport, reference?: { onPolicyCtr: number }): string {
  const rows = [['estimator', 'value', '95% interval']];
  for (const name of ESTIMATORS) {
    const e = report.estimates[name];
    rows.push([name, fmt(e.value), `[${fmt(e.ci[0])}, ${fmt(e.ci[1])}]`]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const lines = [
    `Estimated value of the target policy from ${report.n.toLocaleString('en')} logged rows`,
    '',
    ...table,
    '',
    `effective sample size  ${report.ess.toFixed(0)} of ${report.n} (${((100 * report.ess) / report.n).toFixed(1)}%)`,
    `logging policy earned  ${fmt(report.logged)} per row`,
    `largest weight         ${report.maxWeight.toFixed(1)} (switch_dr used the model alone on ${report.switched} rows)`,
  ];
  if (reference)
    lines.push(`on-policy reference    ${fmt(reference.onPolicyCtr)} (the target's own log)`);
  if (report.ess < report.n / 10) {
    lines.push(
      '',
      'Few effective rows: the target is far from the logging policy; trust the intervals, not the values.',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function formatReplay(report: ReplayReport): string {
  const lines = [
    `Replay of ${report.rows.toLocaleString('en')} logged rows over ${report.actions} actions; ` +
      `best single action ${report.bestAction.action} at ${fmt(report.bestAction.averageReward)}`,
  ];
  if (!report.uniform) {
    lines.push(
      'Warning: the log is not uniformly random (propensities differ); replay is biased on it.',
    );
  }
  const summary = [['learner', 'matched', 'avg reward', 'regret']];
  for (const l of report.learners)
    summary.push([l.name, String(l.matched), fmt(l.averageReward), l.regret.toFixed(1)]);
  const curve = [['rows', ...report.learners.map((l) => l.name)]];
  report.learners[0]?.checkpoints.forEach((c, i) => {
    curve.push([
      String(c.rows),
      ...report.learners.map(
        (l) => `${fmt(l.checkpoints[i]!.averageReward)} / ${l.checkpoints[i]!.regret.toFixed(1)}`,
      ),
    ]);
  });
  const render = (rows: string[][]) => {
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    return rows.map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  };
  lines.push(
    '',
    ...render(summary),
    '',
    'Average reward / regret at each checkpoint:',
    ...render(curve),
  );
  return `${lines.join('\n')}\n`;
}

function count(name: string, raw: unknown, min: number): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) {
    throw new ValidationError(`--${name} must be an integer of at least ${min}.`, [
      { path: `--${name}`, problem: `got "${String(raw)}"` },
    ]);
  }
  return v;
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${field} is not JSON: ${(error as Error).message}`, [
      { path: field, problem: 'is not JSON' },
    ]);
  }
}

function readPolicy(
  configText: string,
  stateFile: unknown,
): { config: PolicyConfig; state: PolicyState } {
  const config = PolicyConfig.safeParse(parseJson(configText, '--policy'));
  if (!config.success) {
    const [first] = zodDetails(config.error, ['--policy']);
    throw new ValidationError(
      `${first!.path}: ${first!.problem}`,
      zodDetails(config.error, ['--policy']),
    );
  }
  if (typeof stateFile !== 'string') return { config: config.data, state: { arms: {} } };
  let text: string;
  try {
    text = readFileSync(stateFile, 'utf8');
  } catch {
    throw new ValidationError(`Cannot read the state file ${stateFile}.`, [
      { path: '--state', problem: 'cannot be read' },
    ]);
  }
  const state = PolicyState.safeParse(parseJson(text, '--state'));
  if (!state.success) {
    const [first] = zodDetails(state.error, ['--state']);
    throw new ValidationError(
      `${first!.path}: ${first!.problem}`,
      zodDetails(state.error, ['--state']),
    );
  }
  return { config: config.data, state: state.data };
}

/** Adds `rapport eval policy` next to `rapport eval recs`. */
export function registerEvalPolicyCommand(program: Command): void {
  const evalCmd =
    program.commands.find((c) => c.name() === 'eval') ??
    program.command('eval').description('Evaluate models offline.');
  evalCmd
    .command('policy')
    .description(
      'Estimate what a candidate policy would earn from logged decisions (IPS, SNIPS, DM, DR, switch-DR, SNDR), or compare online learners by replay.',
    )
    .option('--data <file>', 'JSON lines: {"context","action","reward","propensity","target"}')
    .option(
      '--obd <dir>',
      'Open Bandit Dataset folder: evaluate its Bernoulli-TS campaign from the random one',
    )
    .option('--campaign <name>', 'OBD campaign: men, women or all', 'men')
    .option(
      '--policy <json>',
      'a candidate policy config, e.g. {"kind":"thompson"}: replaces the targets',
    )
    .option(
      '--state <file>',
      "the candidate's learned state (JSON, as the decision core stores it)",
    )
    .option(
      '--log',
      "the workspace's own decision log (store from RAPPORT_DATA_DIR / DATABASE_URL)",
    )
    .option('--workspace <id>', 'with --log: the workspace (default: the default workspace)')
    .option('--placement <name>', 'with --log: only this placement')
    .option('--replay', 'replay the online learners on uniformly logged --data (target not needed)')
    .option('--bootstrap <n>', 'bootstrap resamples for the intervals', '200')
    .option('--seed <n>', 'seed of the bootstrap and the learners', '1')
    .option('--folds <n>', 'cross-fitting folds of the reward model', '2')
    .option('--switch-tau <w>', 'switch-DR: rows with a larger weight use the model alone', '20')
    .option('--json', 'print the result as JSON')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const sources = [opts.data, opts.obd, opts.log].filter(
        (s) => typeof s === 'string' || s === true,
      );
      if (sources.length !== 1) {
        throw new ValidationError('Give exactly one of --data FILE, --obd DIR or --log.', [
          {
            path: '--data',
            problem: sources.length === 0 ? 'is missing' : 'is given with --obd or --log',
          },
        ]);
      }
      const seed = count('seed', opts.seed, 0);
      const tau = Number(opts.switchTau);
      if (!(tau > 0)) {
        throw new ValidationError('--switch-tau must be a positive number.', [
          { path: '--switch-tau', problem: `got "${String(opts.switchTau)}"` },
        ]);
      }
      const options = {
        policy: typeof opts.policy === 'string' ? readPolicy(opts.policy, opts.state) : undefined,
        bootstrap: count('bootstrap', opts.bootstrap, 10),
        seed,
        folds: count('folds', opts.folds, 2),
        switchTau: tau,
      };
      const print = (json: unknown, table: string) =>
        process.stdout.write(opts.json ? `${JSON.stringify(json, null, 2)}\n` : table);
      if (typeof opts.obd === 'string') {
        const { rows, onPolicyCtr } = await obdRows(opts.obd, String(opts.campaign));
        const report = evaluatePolicy(rows, options);
        print(
          { ...opeJson(report), reference: { onPolicyCtr } },
          formatOpe(report, { onPolicyCtr }),
        );
        return;
      }
      if (opts.log === true) {
        if (opts.replay !== true && !options.policy) {
          throw new ValidationError(
            'The decision log holds no target probabilities: give the candidate with --policy JSON (and --state FILE), or use --replay.',
            [{ path: '--policy', problem: 'is required with --log' }],
          );
        }
        await withStore({}, async (store) => {
          const workspaceId = await workspaceOf(store, opts.workspace as string | undefined);
          const placement = typeof opts.placement === 'string' ? opts.placement : undefined;
          const rows = decisionLogRows(store.db, workspaceId, placement ? { placement } : {});
          if (opts.replay === true) {
            const report = await runReplay(rows, seed);
            print(report, formatReplay(report));
          } else {
            const report = await runEvalPolicy(rows, options);
            print(opeJson(report), formatOpe(report));
          }
        });
        return;
      }
      const file = String(opts.data);
      if (opts.replay === true) {
        const report = await runReplay(jsonLinesRows(file, { requireTarget: false }), seed);
        print(report, formatReplay(report));
        return;
      }
      const rows = jsonLinesRows(file, { requireTarget: !options.policy });
      const report = await runEvalPolicy(rows, options);
      print(opeJson(report), formatOpe(report));
    });
}
