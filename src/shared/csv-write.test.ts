import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv-write.js';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', ''],
    ['=1+1', "'=1+1"],
    ['+33 6 12', "'+33 6 12"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['=HYPERLINK("http://x","a,b")', `"'=HYPERLINK(""http://x"",""a,b"")"`],
    ['a=b', 'a=b'],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes numbers, booleans and missing values as themselves', () => {
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('reads back through a CSV parser as the same cells (formulas defused)', () => {
    const cells = ['a,b', 'say "hi"', 'x\r\ny', '=cmd', '', 'é ü 中'];
    const text = csvLine(cells) + csvLine(['1', '2', '3', '4', '5', '6']);
    const rows: string[][] = parse(text);
    expect(rows).toEqual([
      ['a,b', 'say "hi"', 'x\r\ny', "'=cmd", '', 'é ü 中'],
      ['1', '2', '3', '4', '5', '6'],
    ]);
  });
});
