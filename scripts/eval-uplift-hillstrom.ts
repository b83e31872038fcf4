// The full-data Hillstrom evaluation behind docs/measurement.md ("Uplift modelling"):
// runs `rapport eval uplift` four times on the whole file and checks the published
// average effects and the uplift@30% bar. `npm test` uses only a slice in test/fixtures.
//
//   node --import tsx scripts/eval-uplift-hillstrom.ts ../shared/data/hillstrom/hillstrom.csv
//
// Exits 1 if a published number is not reproduced.

import { runEvalUplift } from '../src/cli/eval-uplift.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: eval-uplift-hillstrom.ts PATH/TO/hillstrom.csv\n');
  process.exit(2);
}

const FEATURES = 'recency,history_segment,history,mens,womens,zip_code,newbie,channel';

/** Published: Hillstrom's challenge write-up (2008); scale 100 for percentage points. */
const CASES = [
  { arm: 'Mens E-Mail', outcome: 'visit', published: 7.66, scale: 100, unit: 'pp' },
  { arm: 'Mens E-Mail', outcome: 'conversion', published: 0.68, scale: 100, unit: 'pp' },
  { arm: 'Mens E-Mail', outcome: 'spend', published: 0.77, scale: 1, unit: '$' },
  { arm: 'Womens E-Mail', outcome: 'visit', published: 4.52, scale: 100, unit: 'pp', bar: 0.066 },
] as const;

let failed = false;
for (const c of CASES) {
  const started = performance.now();
  const r = runEvalUplift({
    data: file,
    treatment: 'segment',
    treated: c.arm,
    control: 'No E-Mail',
    outcome: c.outcome,
    features: FEATURES,
    seed: 1,
    folds: 5,
    json: true,
  });
  const e = r.evaluation;
  const ate = Math.round(e.ate.value * c.scale * 100) / 100;
  const ok = ate === c.published;
  failed ||= !ok;
  const lines = [
    `${c.arm} vs No E-Mail, ${c.outcome}: n ${e.n}, ATE ${(e.ate.value * c.scale).toFixed(4)} ${c.unit} ` +
      `[${(e.ate.ci[0] * c.scale).toFixed(2)}, ${(e.ate.ci[1] * c.scale).toFixed(2)}] ` +
      `(published ${c.published}: ${ok ? 'reproduced' : 'DIFFERENT'}) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  ];
  for (const [name, m] of Object.entries(e.models)) {
    const at30 = m.uplift_at['30'];
    const bar =
      'bar' in c ? (at30 !== null && at30 >= c.bar ? ` ≥ ${c.bar} ok` : ` < ${c.bar} FAILED`) : '';
    if ('bar' in c && !(at30 !== null && at30 >= c.bar)) failed = true;
    const f = (x: number | null) => (x === null ? '-' : x.toFixed(4));
    lines.push(
      `  ${name.padEnd(22)} qini ${f(m.qini)}  auuc ${f(m.auuc)}  uplift@10 ${f(m.uplift_at['10'])}  @20 ${f(m.uplift_at['20'])}  @30 ${f(at30)}${bar}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
process.exit(failed ? 1 : 0);
