import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TuningReport } from '../../src/recommend/index.js';
import { BASKET, syntheticLog } from '../factories/recs-synthetic.js';
import { ROOT, runCli } from '../helpers/cli.js';

/** The JSON `rapport eval recs --json` prints (see src/cli/eval-recs.ts). */
interface EvalRecsResult {
  strategy: string;
  users: number;
  trainRows: { read: number; skipped: number };
  trainingSeconds: Record<string, number>;
  strategyMetrics: { recall: { value: number }; ndcg: { value: number }; coverage: number };
  popularityMetrics: { ndcg: { value: number } };
  tuning: TuningReport | null;
}

const FIX = join(ROOT, 'test/fixtures/recs');
const dir = mkdtempSync(join(tmpdir(), 'rapport-eval-recs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runCli(['eval', 'recs', ...args]);

const files = ['--train', join(FIX, 'tiny-train.csv'), '--test', join(FIX, 'tiny-test.csv')];

// The tiny split, by hand. Train popularity (one vote per person, strongest kind):
// a = 1 + 1 + 0.5 (u3's cart) = 2.5, b = 1 + 0.25 (u3's view) = 1.25, c = 1, d = 1.
// People in both files with new items: u1 → c, u2 → b (a they had), u4 → a; u5 is new.
// `popular` decays with a 30-day half-life, so d (bought 200 s after c) edges c out.
//   u1 had a, b → [d, c]: hit at rank 2.   u2 had a, c → [b, d]: rank 1.   u4 had d → [a, b]: rank 1.
// All-time popularity breaks the c/d tie by catalog order: u1 → [c, d], rank 1.
const ndcgPopular = (1 / Math.log2(3) + 1 + 1) / 3;

describe('rapport eval recs', () => {
  it('runs end to end: JSON lines out, metrics next to popularity, bad rows reported', async () => {
    const out = join(dir, 'recs.jsonl');
    const res = await run([
      ...files,
      '--strategy',
      'popular',
      '--k',
      '2',
      '--out',
      out,
      '--bootstrap',
      '50',
      '--json',
    ]);
    expect(res.code).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { user: 'u1', items: ['d', 'c'] },
      { user: 'u2', items: ['b', 'd'] },
      { user: 'u4', items: ['a', 'b'] },
    ]);
    const result = JSON.parse(res.stdout) as EvalRecsResult;
    expect(result.users).toBe(3);
    expect(result.trainRows).toMatchObject({ read: 9, skipped: 2 });
    expect(result.strategyMetrics.recall.value).toBe(1);
    expect(result.strategyMetrics.ndcg.value).toBeCloseTo(ndcgPopular, 12);
    expect(result.popularityMetrics.ndcg.value).toBe(1);
    expect(result.strategyMetrics.coverage).toBe(1); // a, b, c, d all appear
    expect(res.stderr).toContain('skipped 2 of 9 rows');
    expect(res.stderr).toContain('line 9: item_id is empty');
    expect(res.stderr).toContain(
      'line 10: timestamp "notatime" is neither epoch seconds nor ISO 8601',
    );
  });

  it('prints a readable table with intervals and training times', async () => {
    const res = await run([
      ...files,
      '--strategy',
      'personalized',
      '--k',
      '3',
      '--bootstrap',
      '20',
    ]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Evaluated 3 people');
    expect(res.stdout).toMatch(/Recall@3\s+\d\.\d{4} \[\d\.\d{4}, \d\.\d{4}\]/);
    expect(res.stdout).toMatch(/NDCG@3 /);
    expect(res.stdout).toMatch(/Training: history \d+\.\d\d s, personalized \d+\.\d\d s/);
    // Tuning is on by default; three people are far too few to validate on.
    expect(res.stdout).toMatch(
      /\nPersonalized: kept the defaults: too little data to validate on: \d+ people .* 50 are needed\.\n$/,
    );
  });

  it(
    'tunes personalized on the tail of TRAIN by default; --params and --no-tune keep what is given',
    {
      timeout: 120_000,
    },
    async () => {
      // Drifting interest: a short half-life suits these data better than the default 30 days.
      const log = syntheticLog({
        ...BASKET,
        seed: 3,
        people: 300,
        items: 150,
        topics: 15,
        days: 90,
        visitGapDays: 6,
        itemsPerVisit: 2,
        drift: 0.7,
      });
      const cut = log[Math.floor(log.length * 0.85)]!.timestamp;
      const csv = (rows: typeof log) =>
        'user_id,item_id,timestamp,event_type\n' +
        rows.map((x) => `${x.userId},${x.itemId},${x.timestamp / 1000},${x.kind}`).join('\n');
      const train = join(dir, 'drift-train.csv');
      const test = join(dir, 'drift-test.csv');
      writeFileSync(train, csv(log.filter((x) => x.timestamp < cut)));
      writeFileSync(test, csv(log.filter((x) => x.timestamp >= cut)));
      const args = [
        '--train',
        train,
        '--test',
        test,
        '--strategy',
        'personalized',
        '--bootstrap',
        '0',
      ];
      const tuned = await run([...args, '--json']);
      expect(tuned.code, tuned.stderr).toBe(0);
      const t = (JSON.parse(tuned.stdout) as EvalRecsResult).tuning!;
      expect(t.status).toBe('tuned');
      expect(t.candidates.length).toBeGreaterThanOrEqual(6);
      expect(t.chosen.halfLifeDays).not.toBe(30);
      expect(t.chosenScore!.ndcg).toBeGreaterThan(t.defaultScore!.ndcg);
      const given = await run([...args, '--json', '--params', '{"halfLifeDays":30}']);
      expect((JSON.parse(given.stdout) as EvalRecsResult).tuning).toBeNull();
      const untuned = await run([...args, '--no-tune']);
      expect(untuned.code).toBe(0);
      expect(untuned.stdout).not.toContain('Personalized:');
    },
  );

  it('fails with the line and reason in strict mode, and on a bad header', async () => {
    const strict = await run([...files, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('tiny-train.csv: line 9: item_id is empty');
    const header = await run([
      '--train',
      join(FIX, 'tiny-test.csv'),
      '--test',
      join(FIX, 'README.md'),
    ]);
    expect(header.code).toBe(2);
    expect(header.stderr).toMatch(/README\.md: line 1: header lacks/);
    const strategy = await run([...files, '--strategy', 'magic']);
    expect(strategy.code).toBe(2);
    expect(strategy.stderr).toContain('unknown strategy "magic"');
  });

  it('takes model parameters and checks them', async () => {
    const res = await run([
      ...files,
      '--k',
      '2',
      '--bootstrap',
      '0',
      '--json',
      '--params',
      '{"lambda":0.5,"minSupport":1}',
    ]);
    expect(res.code).toBe(0);
    const result = JSON.parse(res.stdout) as EvalRecsResult;
    expect(result.strategy).toBe('auto');
    expect(Object.keys(result.trainingSeconds)).toEqual([
      'history',
      'personalized',
      'bought_together',
      'popular',
    ]);
    expect(result.users).toBe(3);
    const bad = await run([...files, '--params', '[1]']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--params must be a JSON object');
    const lambda = await run([...files, '--params', '{"lambda":-1}']);
    expect(lambda.code).toBe(2);
    expect(lambda.stderr).toContain('config.lambda');
  });
});
