import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectRows, jsonLinesRows } from '../../src/cli/eval-policy-rows.js';
import { ValidationError } from '../../src/shared/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rapport-policy-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = { context: { x: 1 }, action: 'a', reward: 1, propensity: 0.5, target: { a: 1 } };
const read = (lines: readonly unknown[], requireTarget = true) => {
  const file = join(dir, 'rows.jsonl');
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  return collectRows(jsonLinesRows(file, { requireTarget }), requireTarget);
};

describe('reading JSON lines of logged decisions', () => {
  it('reads the documented format and skips blank lines', async () => {
    const rows = await read([good, '', { ...good, action: 'b', target: { a: 0.2, b: 0.8 } }]);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual({ ...good, action: 'b', target: { a: 0.2, b: 0.8 } });
  });

  it.each([
    ['not JSON', '{"context": {', /line 2: not JSON/],
    ['no target', { ...good, target: undefined }, /line 2: target: is missing/],
    [
      'a target not summing to 1',
      { ...good, target: { a: 0.5 } },
      /line 2: target: probabilities must sum to 1/,
    ],
    ['a text reward', { ...good, reward: 'yes' }, /line 2: reward: /],
    ['a propensity above 1', { ...good, propensity: 2 }, /line 2: propensity: /],
    ['a text feature', { ...good, context: { x: 'high' } }, /line 2: context\.x: /],
    ['no action', { ...good, action: undefined }, /line 2: action: /],
  ])('names the line and field of %s', async (_, bad, message) => {
    const error = await read([good, bad, good]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
  });

  it('does not need a target for replay', async () => {
    expect(await read([{ ...good, target: undefined }], false)).toHaveLength(1);
  });

  it('refuses an empty file and a missing one', async () => {
    await expect(read([''])).rejects.toThrow(/No logged rows/);
    await expect(
      collectRows(jsonLinesRows(join(dir, 'nope.jsonl'), { requireTarget: true }), true),
    ).rejects.toThrow(/no such file/);
  });
});
