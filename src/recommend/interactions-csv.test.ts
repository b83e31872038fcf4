import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/index.js';
import { parseHeader, parseRow, parseTimestamp } from './interactions-csv.js';
import { readInteractionsCsv } from './read-interactions.js';

const FIXTURES = new URL('../../test/fixtures/recs/', import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rapport-recs-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseTimestamp', () => {
  it.each([
    ['1700000000', 1_700_000_000_000],
    ['1700000000.25', 1_700_000_000_250],
    ['2011-09-01', Date.UTC(2011, 8, 1)],
    ['2011-09-01T08:26', Date.UTC(2011, 8, 1, 8, 26)],
    ['2011-09-01 08:26:30Z', Date.UTC(2011, 8, 1, 8, 26, 30)],
    ['2011-09-01T08:26:30.5+01:00', Date.UTC(2011, 8, 1, 7, 26, 30, 500)],
    ['2011-09-01T08:26:30-0230', Date.UTC(2011, 8, 1, 10, 56, 30)],
    ['2012-02-29', Date.UTC(2012, 1, 29)],
  ])('reads %s', (text, ms) => {
    expect(parseTimestamp(text)).toEqual({ kind: 'ok', ms });
  });

  it.each([
    ['2011-02-30', 'not a real date'],
    ['2011-13-01', 'not a real date'],
    ['2011-09-01T24:00', 'not a real date'],
    ['1700000000000', 'looks like epoch milliseconds'],
    ['yesterday', 'neither epoch seconds nor ISO 8601'],
    ['', 'neither epoch seconds nor ISO 8601'],
  ])('rejects %j', (text, problem) => {
    const r = parseTimestamp(text);
    expect(r.kind).toBe('invalid');
    expect(r.kind === 'invalid' && r.problem).toContain(problem);
  });
});

describe('parseHeader and parseRow', () => {
  it('finds columns in any order and case, ignoring extras and a BOM', () => {
    const h = parseHeader(['\uFEFFTimestamp', 'ITEM_ID', 'extra', 'user_id']);
    expect(h).toEqual({
      kind: 'ok',
      header: { user: 3, item: 1, timestamp: 0, kind: -1, quantity: -1, width: 4 },
    });
  });

  it('says which required columns are missing', () => {
    expect(parseHeader(['user_id', 'when'])).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('header lacks item_id, timestamp'),
    });
    expect(parseHeader(['user_id', 'item_id', 'timestamp', 'user_id'])).toMatchObject({
      problem: 'header repeats column user_id',
    });
  });

  it('defaults the event type to purchase and reads quantity', () => {
    const h = parseHeader(['user_id', 'item_id', 'timestamp', 'event_type', 'quantity']);
    if (h.kind !== 'ok') throw new Error('header');
    expect(parseRow(['u', 'i', '1', '', ''], h.header)).toEqual({
      kind: 'ok',
      interaction: { userId: 'u', itemId: 'i', timestamp: 1000, kind: 'purchase' },
    });
    expect(parseRow([' u ', 'i', '1', 'VIEW', '2.5'], h.header)).toEqual({
      kind: 'ok',
      interaction: { userId: 'u', itemId: 'i', timestamp: 1000, kind: 'view', quantity: 2.5 },
    });
  });
});

describe('readInteractionsCsv', () => {
  it('skips bad rows, counting them and naming each line and problem', async () => {
    const r = await readInteractionsCsv(fixture('bad-rows.csv'));
    expect(r.rows).toBe(8);
    expect(r.skipped).toBe(6);
    expect(r.problems).toEqual([
      { line: 3, problem: 'has 3 fields, the header has 5' },
      { line: 4, problem: 'user_id is empty' },
      { line: 5, problem: 'timestamp "2011-02-30" is not a real date and time' },
      { line: 6, problem: 'timestamp 1700000000000 looks like epoch milliseconds; use seconds' },
      { line: 7, problem: 'event_type "like" is not view, cart or purchase' },
      { line: 8, problem: 'quantity "-1" is not a positive number' },
    ]);
    expect(r.interactions).toEqual([
      { userId: 'u1', itemId: 'a', timestamp: 1_700_000_000_000, kind: 'purchase', quantity: 1 },
      {
        userId: 'u3',
        itemId: 'd, with comma',
        timestamp: Date.UTC(2011, 8, 1, 8, 26),
        kind: 'cart',
        quantity: 2,
      },
    ]);
  });

  it('keeps only the first problems but counts them all', async () => {
    const r = await readInteractionsCsv(fixture('bad-rows.csv'), { keepProblems: 2 });
    expect(r.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(r.skipped).toBe(6);
  });

  it('stops at the first bad row in strict mode', async () => {
    await expect(readInteractionsCsv(fixture('bad-rows.csv'), { strict: true })).rejects.toThrow(
      /bad-rows\.csv: line 3: has 3 fields, the header has 5/,
    );
  });

  it('reads gzip files and reports progress', async () => {
    const gz = join(dir, 'train.csv.gz');
    writeFileSync(gz, gzipSync('user_id,item_id,timestamp\nu,i,1\nu,j,2\n'));
    const seen: number[] = [];
    const r = await readInteractionsCsv(gz, { onProgress: (done) => seen.push(done) });
    expect(r.interactions.map((x) => x.itemId)).toEqual(['i', 'j']);
    expect(seen.length).toBeGreaterThan(0);
  });

  it.each([
    ['empty.csv', '', /the file is empty/],
    ['header.csv', 'user,item,time\nu,i,1\n', /line 1: header lacks user_id, item_id, timestamp/],
    ['quote.csv', 'user_id,item_id,timestamp\n"u,i,1\n', /cannot read CSV/],
  ])('rejects %s with a clear error', async (name, text, message) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    const error = await readInteractionsCsv(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });
});
