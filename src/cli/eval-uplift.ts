import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { createProgress } from '../importer/index.js';
import {
  DEFAULT_FOLDS,
  evaluateUplift,
  upliftTable,
  type UpliftEvaluation,
} from '../measurement/index.js';
import { ValidationError } from '../shared/index.js';

export interface EvalUpliftOptions {
  data: string;
  treatment: string;
  outcome: string;
  treated?: string | undefined;
  control?: string | undefined;
  /** Comma-separated feature columns. */
  features?: string | undefined;
  seed: number;
  folds: number;
  json: boolean;
}

export interface EvalUpliftResult {
  readonly file: string;
  readonly treatedValue: string;
  readonly controlValue: string;
  readonly skipped: number;
  readonly evaluation: UpliftEvaluation;
}

function readTable(file: string): { header: string[]; rows: string[][] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ValidationError(`--data ${file}: cannot read the file (${code})`, [
      { path: '--data', problem: `cannot read ${file}` },
    ]);
  }
  let records: string[][];
  try {
    const parsed: string[][] = parse(text, { bom: true, skip_empty_lines: true, trim: true });
    records = parsed;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`--data ${file}: not valid CSV: ${message}`, [
      { path: '--data', problem: message },
    ]);
  }
  const [header, ...rows] = records;
  if (!header) {
    throw new ValidationError(`--data ${file} is empty: it needs a header row and data rows`, [
      { path: '--data', problem: 'empty file' },
    ]);
  }
  return { header, rows };
}

/** `rapport eval uplift`: the average effect, and how well each model ranks the persuadable. */
export function runEvalUplift(o: EvalUpliftOptions): EvalUpliftResult {
  if (!Number.isInteger(o.folds) || o.folds < 2 || o.folds > 20) {
    throw new ValidationError('--folds must be a whole number from 2 to 20', [
      { path: '--folds', problem: `got ${o.folds}` },
    ]);
  }
  const { header, rows } = readTable(o.data);
  const features = o.features
    ?.split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const table = upliftTable(header, rows, {
    treatment: o.treatment,
    outcome: o.outcome,
    treatedValue: o.treated,
    controlValue: o.control,
    features,
  });
  const { data } = table;
  if (!o.json) {
    process.stderr.write(
      `${data.outcome.length} rows (${table.skipped} in other arms left out); features: ${data.featureNames.join(', ')}\n`,
    );
  }
  let progress: ReturnType<typeof createProgress> | undefined;
  let evaluation: UpliftEvaluation;
  try {
    evaluation = evaluateUplift(data, {
      folds: o.folds,
      seed: o.seed,
      onProgress: (done, total) => {
        progress ??= createProgress('fitting uplift models', total, { unit: ' fits' });
        progress.update(done);
      },
    });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new ValidationError(`--data ${o.data}: ${error.message}`, [
        { path: '--data', problem: error.message },
      ]);
    }
    throw error;
  } finally {
    progress?.stop();
  }
  return {
    file: o.data,
    treatedValue: table.treatedValue,
    controlValue: table.controlValue,
    skipped: table.skipped,
    evaluation,
  };
}

/** The `--json` shape, exactly: n, ate, and per model qini, auuc, uplift_at. */
export function upliftJson(r: EvalUpliftResult): unknown {
  const e = r.evaluation;
  return {
    n: e.n,
    ate: { value: e.ate.value, ci: [e.ate.ci[0], e.ate.ci[1]] },
    models: Object.fromEntries(
      Object.entries(e.models).map(([name, m]) => [
        name,
        { qini: m.qini, auuc: m.auuc, uplift_at: { ...m.uplift_at } },
      ]),
    ),
  };
}

const f4 = (x: number | null) => (x === null ? '-' : x.toFixed(4));

export function formatUpliftReport(r: EvalUpliftResult): string {
  const e = r.evaluation;
  const lines = [
    `${r.file}: ${e.n} rows, treated "${r.treatedValue}" ${e.treated}, control "${r.controlValue}" ${e.control}.`,
    `Average effect (treated − control): ${f4(e.ate.value)} [95% CI ${f4(e.ate.ci[0])}, ${f4(e.ate.ci[1])}]`,
    `Models scored on held-out folds (${e.folds}-fold cross-fitting):`,
    `${'model'.padEnd(22)}${'qini'.padEnd(10)}${'auuc'.padEnd(10)}${'uplift@10%'.padEnd(12)}${'uplift@20%'.padEnd(12)}uplift@30%`,
  ];
  for (const [name, m] of Object.entries(e.models)) {
    lines.push(
      `${name.padEnd(22)}${f4(m.qini).padEnd(10)}${f4(m.auuc).padEnd(10)}${f4(m.uplift_at['10']).padEnd(12)}${f4(m.uplift_at['20']).padEnd(12)}${f4(m.uplift_at['30'])}`,
    );
  }
  lines.push('uplift@k%: treated minus control mean outcome among the top k% by predicted uplift.');
  return `${lines.join('\n')}\n`;
}

/** Adds `eval uplift` to a commander program (creating `eval` if no one has yet). */
export function registerEvalUpliftCommand(program: Command): void {
  const evalCmd =
    program.commands.find((c) => c.name() === 'eval') ??
    program.command('eval').description('Evaluate models offline.');
  evalCmd
    .command('uplift')
    .description(
      'Estimate the average effect of a randomised treatment and score uplift models (T-learner, class transformation, X-learner) by cross-fitting.',
    )
    .requiredOption('--data <file>', 'CSV with a header row, one row per person')
    .requiredOption('--treatment <column>', 'the column saying which arm a person was in')
    .requiredOption('--outcome <column>', 'the numeric outcome column (0/1 or an amount)')
    .option('--treated <value>', 'the treatment value of the treated arm (default 1/true)')
    .option('--control <value>', 'the treatment value of the control arm (default 0/false)')
    .option('--features <columns>', 'comma-separated feature columns (default: all others)')
    .option('--folds <n>', 'cross-fitting folds', String(DEFAULT_FOLDS))
    .option('--seed <n>', 'seed of the fold split', '1')
    .option('--json', 'print {"n","ate","models"} as JSON')
    .action((opts: Record<string, string | boolean | undefined>) => {
      const int = (name: string) => {
        const v = Number(opts[name]);
        if (!Number.isInteger(v) || v < 0) {
          throw new ValidationError(`--${name} must be a non-negative integer`, [
            { path: `--${name}`, problem: `got "${String(opts[name])}"` },
          ]);
        }
        return v;
      };
      const result = runEvalUplift({
        data: String(opts.data),
        treatment: String(opts.treatment),
        outcome: String(opts.outcome),
        treated: opts.treated as string | undefined,
        control: opts.control as string | undefined,
        features: opts.features as string | undefined,
        seed: int('seed'),
        folds: int('folds'),
        json: opts.json === true,
      });
      process.stdout.write(
        opts.json ? `${JSON.stringify(upliftJson(result))}\n` : formatUpliftReport(result),
      );
    });
}
