// Where `rapport eval policy` gets its rows: a JSON-lines file today, the workspace's
// decision log through the same `RowSource` shape (an async iterable of rows).
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { LoggedRow, obdEvaluationRows, type EvaluatedRow } from '../decisions/index.js';
import { createProgress } from '../importer/index.js';
import { ValidationError, zodDetails } from '../shared/index.js';

/** Logged decisions, in order: anything that yields rows can be evaluated. */
export type RowSource = AsyncIterable<LoggedRow>;

/** Files larger than this show progress while they are read. */
const PROGRESS_BYTES = 1_000_000;

function lineError(file: string, line: number, field: string, problem: string): ValidationError {
  const where = field ? `${field}: ${problem}` : problem;
  return new ValidationError(`${file} line ${line}: ${where}`, [
    { path: `line ${line}${field ? `.${field}` : ''}`, problem },
  ]);
}

/**
 * The rows of a JSON-lines file in the documented format. A bad line stops the read
 * with an error naming its number and field; blank lines are skipped.
 */
export async function* jsonLinesRows(file: string, options: { requireTarget: boolean }): RowSource {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new ValidationError(`Cannot read ${file}: no such file.`, [
      { path: '--data', problem: 'does not exist' },
    ]);
  }
  const progress = size > PROGRESS_BYTES ? createProgress('Reading', size, { unit: ' B' }) : null;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let number = 0;
  let bytes = 0;
  try {
    for await (const text of lines) {
      number += 1;
      bytes += Buffer.byteLength(text) + 1;
      if (progress && number % 5000 === 0) progress.update(bytes);
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw lineError(file, number, '', `not JSON (${(error as Error).message})`);
      }
      const parsed = LoggedRow.safeParse(value);
      if (!parsed.success) {
        const first = zodDetails(parsed.error)[0]!;
        throw lineError(file, number, first.path || 'row', first.problem);
      }
      if (options.requireTarget && !parsed.data.target) {
        throw lineError(
          file,
          number,
          'target',
          "is missing: give the candidate policy's probabilities, or pass --policy",
        );
      }
      yield parsed.data;
    }
  } finally {
    lines.close();
    if (progress) {
      progress.update(bytes);
      progress.stop();
    }
  }
}

/** Every row of a source, checked to carry a target (the decision log's rows may not). */
export async function collectRows(source: RowSource, requireTarget: boolean): Promise<LoggedRow[]> {
  const rows: LoggedRow[] = [];
  for await (const row of source) {
    if (requireTarget && !row.target) {
      throw new ValidationError(`Row ${rows.length + 1} has no target distribution.`, [
        { path: `rows.${rows.length}.target`, problem: 'is missing' },
      ]);
    }
    rows.push(row);
  }
  if (rows.length === 0) {
    throw new ValidationError('No logged rows to evaluate.', [
      { path: 'rows', problem: 'is empty' },
    ]);
  }
  return rows;
}

export const OBD_CAMPAIGNS = ['men', 'women', 'all'] as const;

/** The OBD random campaign's rows with the BTS campaign as target (see decisions/core/ope/obd.ts). */
export async function obdRows(
  dir: string,
  campaign: string,
): Promise<{ rows: EvaluatedRow[]; onPolicyCtr: number }> {
  if (!(OBD_CAMPAIGNS as readonly string[]).includes(campaign)) {
    throw new ValidationError(`--campaign must be one of ${OBD_CAMPAIGNS.join(', ')}.`, [
      { path: '--campaign', problem: `got "${campaign}"` },
    ]);
  }
  const read = async (policy: string) => {
    const file = path.join(dir, policy, campaign, `${campaign}.csv`);
    try {
      return await readFile(file, 'utf8');
    } catch {
      throw new ValidationError(
        `Cannot read ${file}. --obd takes the dataset folder holding random/ and bts/; ` +
          'the small sample ships the men and women campaigns only.',
        [{ path: '--obd', problem: `has no ${policy}/${campaign}/${campaign}.csv` }],
      );
    }
  };
  return obdEvaluationRows(await read('random'), await read('bts'));
}
