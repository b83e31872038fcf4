import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { ValidationError } from '../shared/index.js';

export type FileFormat = 'csv' | 'jsonl';

/** One input row: its 1-based line number and either a record or why it could not be read. */
export type InputRow =
  | { line: number; kind: 'record'; record: Record<string, unknown>; text: string }
  | { line: number; kind: 'bad'; reason: string; text: string };

export function detectFormat(file: string, given?: string): FileFormat {
  if (given) {
    if (given === 'csv' || given === 'jsonl') return given;
    throw new ValidationError(`--format must be csv or jsonl, not "${given}".`, [
      { path: '--format', problem: 'must be csv or jsonl' },
    ]);
  }
  const name = file.replace(/\.gz$/i, '').toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.endsWith('.json')) return 'jsonl';
  throw new ValidationError(
    `Cannot tell the format of ${file}: name it .csv, .jsonl (optionally .gz) or pass --format csv|jsonl.`,
    [{ path: 'FILE', problem: 'unknown format' }],
  );
}

/**
 * Streams the rows of a CSV or JSON Lines file, gzip or not (by magic bytes), counting
 * the bytes read from disk so callers can show progress against the file size.
 */
export async function* readRows(
  file: string,
  format: FileFormat,
  onBytes: (n: number) => void,
): AsyncGenerator<InputRow> {
  const gzip = isGzip(file);
  const raw = createReadStream(file);
  raw.on('data', (chunk) => onBytes(chunk.length));
  const input: Readable = gzip ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (e) => input.destroy(e));

  if (format === 'jsonl') {
    const lines = createInterface({ input, crlfDelay: Infinity });
    let line = 0;
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          yield { line, kind: 'bad', reason: 'not a JSON object', text };
        } else {
          yield { line, kind: 'record', record: value as Record<string, unknown>, text };
        }
      } catch (error) {
        yield { line, kind: 'bad', reason: `invalid JSON: ${(error as Error).message}`, text };
      }
    }
    return;
  }

  const skipped: InputRow[] = [];
  const parser = input.pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: false,
      skip_records_with_error: true,
      on_skip: (err, rawText) => {
        skipped.push({
          line: Number((err as { lines?: unknown } | undefined)?.lines ?? 0),
          kind: 'bad',
          reason: err?.message ?? 'unreadable CSV record',
          text: rawText ?? '',
        });
        return undefined;
      },
    }),
  );
  for await (const item of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
    raw: string;
  }>) {
    while (skipped.length) yield skipped.shift()!;
    yield {
      line: item.info.lines,
      kind: 'record',
      record: item.record,
      text: item.raw.replace(/\r?\n$/, ''),
    };
  }
  while (skipped.length) yield skipped.shift()!;
}

/** gzip by its magic bytes, whatever the file is called. */
function isGzip(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    throw new ValidationError(`Cannot read ${file}: no such file or not readable.`, [
      { path: 'FILE', problem: 'not readable' },
    ]);
  }
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}
