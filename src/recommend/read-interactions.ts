import { createReadStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { ValidationError } from '../shared/index.js';
import { parseHeader, parseRow, type CsvHeader, type RowProblem } from './interactions-csv.js';
import type { Interaction } from './schemas.js';

export interface ReadOptions {
  /** Stop at the first bad row instead of skipping it. */
  strict?: boolean;
  /** Called now and then with the bytes read so far and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** How many bad rows to keep for the report (all are counted). */
  keepProblems?: number;
}

export interface ReadResult {
  interactions: Interaction[];
  /** Rows read, good or bad (header excluded). */
  rows: number;
  skipped: number;
  /** The first `keepProblems` bad rows. */
  problems: RowProblem[];
}

/**
 * Streams an interactions CSV (optionally `.gz`) with csv-parse. Bad rows are skipped,
 * counted and the first few kept with their line numbers; with `strict` the first one
 * stops the read with a ValidationError naming its line. A bad header, or broken CSV
 * (an unclosed quote), always stops.
 */
export async function readInteractionsCsv(
  path: string,
  options: ReadOptions = {},
): Promise<ReadResult> {
  const total = statSync(path).size;
  const file = createReadStream(path);
  let read = 0;
  let lastReport = 0;
  file.on('data', (chunk) => {
    read += chunk.length;
    if (options.onProgress && (read - lastReport > total / 100 || read === total)) {
      lastReport = read;
      options.onProgress(read, total);
    }
  });
  const keep = options.keepProblems ?? 10;
  const result: ReadResult = { interactions: [], rows: 0, skipped: 0, problems: [] };
  let header: CsvHeader | null = null;
  const parser = parse({ info: true, relax_column_count: true, skip_empty_lines: true, bom: true });
  const sink = new Writable({
    objectMode: true,
    write(chunk: { record: string[]; info: { lines: number } }, _enc, done) {
      const line = chunk.info.lines;
      if (!header) {
        const h = parseHeader(chunk.record);
        if (h.kind === 'invalid') {
          done(
            new ValidationError(`${path}: line ${line}: ${h.problem}`, [
              { path: `line ${line}`, problem: h.problem },
            ]),
          );
          return;
        }
        header = h.header;
        done();
        return;
      }
      result.rows++;
      const row = parseRow(chunk.record, header);
      if (row.kind === 'ok') {
        result.interactions.push(row.interaction);
      } else if (options.strict) {
        done(
          new ValidationError(`${path}: line ${line}: ${row.problem}`, [
            { path: `line ${line}`, problem: row.problem },
          ]),
        );
        return;
      } else {
        result.skipped++;
        if (result.problems.length < keep) result.problems.push({ line, problem: row.problem });
      }
      done();
    },
  });
  try {
    if (path.endsWith('.gz')) await pipeline(file, createGunzip(), parser, sink);
    else await pipeline(file, parser, sink);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`${path}: cannot read CSV: ${message}`, [{ path, problem: message }]);
  }
  if (!header) {
    throw new ValidationError(`${path}: the file is empty (expected a header row)`, [
      { path, problem: 'no header row' },
    ]);
  }
  return result;
}
