import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEvalUplift, upliftJson } from '../../src/cli/eval-uplift.js';
import { ROOT, runCli } from '../helpers/cli.js';

const SLICE = join(ROOT, 'test/fixtures/uplift/hillstrom-slice.csv');
const FEATURES = 'recency,history_segment,history,mens,womens,zip_code,newbie,channel';
const dir = mkdtempSync(join(tmpdir(), 'rapport-eval-uplift-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runCli(['eval', 'uplift', ...args]);
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** The visit rates of the slice's two arms, counted here without the CLI's code. */
function sliceEffect(arm: string, outcome: string): { n: number; ate: number } {
  const [header, ...rows] = readFileSync(SLICE, 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const seg = cols.indexOf('segment');
  const out = cols.indexOf(outcome);
  const mean = (name: string) => {
    // history_segment holds "$1,000 +" quoted: split off the last four columns from the right.
    const values = rows
      .map((r) => r.split(','))
      .filter((c) => c[c.length - (cols.length - seg)] === name)
      .map((c) => Number(c[c.length - (cols.length - out)]));
    return { n: values.length, mean: values.reduce((s, v) => s + v, 0) / values.length };
  };
  const t = mean(arm);
  const c = mean('No E-Mail');
  return { n: t.n + c.n, ate: t.mean - c.mean };
}

interface UpliftJson {
  n: number;
  ate: { value: number; ci: [number, number] };
  models: Record<string, { qini: number; auuc: number; uplift_at: Record<string, number | null> }>;
}

describe('rapport eval uplift', () => {
  it('prints exactly n, ate and per-model qini, auuc, uplift_at as JSON', async () => {
    const res = await run([
      '--data',
      SLICE,
      '--treatment',
      'segment',
      '--treated',
      'Womens E-Mail',
      '--control',
      'No E-Mail',
      '--outcome',
      'visit',
      '--features',
      FEATURES,
      '--json',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as UpliftJson;
    const expected = sliceEffect('Womens E-Mail', 'visit');
    expect(Object.keys(out)).toEqual(['n', 'ate', 'models']);
    expect(out.n).toBe(expected.n);
    expect(out.ate.value).toBeCloseTo(expected.ate, 12);
    expect(out.ate.ci[0]).toBeLessThan(out.ate.value);
    expect(out.ate.ci[1]).toBeGreaterThan(out.ate.value);
    expect(Object.keys(out.models)).toEqual(['t_learner', 'class_transformation', 'x_learner']);
    for (const m of Object.values(out.models)) {
      expect(Object.keys(m)).toEqual(['qini', 'auuc', 'uplift_at']);
      expect(Object.keys(m.uplift_at)).toEqual(['10', '20', '30']);
      expect(Math.abs(m.qini)).toBeLessThanOrEqual(1);
    }
    // Same seed, same numbers; the fold split is the only randomness.
    const again = runEvalUplift({
      data: SLICE,
      treatment: 'segment',
      treated: 'Womens E-Mail',
      control: 'No E-Mail',
      outcome: 'visit',
      features: FEATURES,
      seed: 1,
      folds: 5,
      json: true,
    });
    expect(JSON.stringify(upliftJson(again))).toBe(res.stdout.trim());
  }, 120_000);

  it('reads a 0/1 treatment column without --treated, and prints a table', async () => {
    const rows = ['t,y,x'];
    for (let i = 0; i < 40; i++) rows.push(`${i % 2},${i % 3 === 0 ? 1 : 0},${i % 5}`);
    const res = await run([
      '--data',
      file('binary.csv', rows.join('\n')),
      '--treatment',
      't',
      '--outcome',
      'y',
      '--folds',
      '2',
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/treated "1" 20, control "0" 20/);
    expect(res.stdout).toMatch(/Average effect \(treated − control\): /);
    expect(res.stdout).toMatch(/class_transformation/);
  }, 60_000);

  const inProcess = (args: Partial<Parameters<typeof runEvalUplift>[0]>) => () =>
    runEvalUplift({
      data: SLICE,
      treatment: 't',
      outcome: 'visit',
      seed: 1,
      folds: 5,
      json: true,
      ...args,
    });

  it.each<[Partial<Parameters<typeof runEvalUplift>[0]>, RegExp]>([
    [{ treatment: 'arm' }, /--treatment: no column "arm" in the file \(columns: recency/],
    [{ treatment: 'segment', outcome: 'visits' }, /--outcome: no column "visits"/],
    [{ treatment: 'segment', features: 'recency,age' }, /--features: no column "age"/],
    [
      { treatment: 'segment' },
      /column "segment" is not binary: it has 3 values \("Mens E-Mail", "No E-Mail", "Womens E-Mail"\)/,
    ],
    [
      { treatment: 'segment', treated: 'Mens E-Mail' },
      /column "segment" has values .*--treated VALUE and --control VALUE/,
    ],
    [
      { treatment: 'segment', treated: 'Mens', control: 'No E-Mail' },
      /--treated "Mens" never occurs in column "segment"/,
    ],
    [
      { treatment: 'segment', treated: 'Mens E-Mail', control: 'Mens E-Mail' },
      /--control "Mens E-Mail"|name the same value/,
    ],
    [{ data: 'EMPTY' }, /empty.csv is empty: it needs a header row/],
    [{ data: 'HEADER', treatment: 't', outcome: 'y' }, /header but no rows/],
    [
      { data: 'BAD', treatment: 't', outcome: 'y' },
      /line 4: --outcome column "y" has "lots", not a number/,
    ],
    [{ data: 'MISSING' }, /cannot read the file \(ENOENT\)/],
    [
      { data: 'TINY', treatment: 't', outcome: 'y' },
      /each arm needs at least 5 rows for 5-fold cross-fitting/,
    ],
    [{ folds: 1 }, /--folds must be a whole number from 2 to 20/],
  ])('refuses %j with a message naming the column, file or line', (args, message) => {
    const files: Record<string, string> = {
      EMPTY: file('empty.csv', ''),
      HEADER: file('header.csv', 't,y\n'),
      BAD: file('bad.csv', 't,y\n1,1\n0,0\n1,lots\n'),
      MISSING: join(dir, 'nope.csv'),
      TINY: file('tiny.csv', 't,y\n1,1\n0,0\n'),
    };
    const data = args.data ? files[args.data]! : SLICE;
    expect(inProcess({ ...args, data })).toThrow(message);
  });

  it('exits 2 with the message on stderr and nothing on stdout', async () => {
    const res = await run(['--data', SLICE, '--treatment', 'arm', '--outcome', 'visit', '--json']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--treatment: no column "arm"/);
    expect(res.stdout).toBe('');
  }, 60_000);
});
