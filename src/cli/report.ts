import { experimentReport, programReport, type ExperimentReport } from '../measurement/index.js';
import { readSettings } from '../messaging/index.js';
import { systemClock } from '../shared/index.js';
import { DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';
import { printTable } from './output.js';
import { withStore } from './store-command.js';

type Flags = { data?: string; json?: boolean };

const pct = (x: number | null | undefined) => (x == null ? '-' : `${(x * 100).toFixed(2)}%`);
const ci = (c: readonly (number | null)[] | null | undefined, f = pct) =>
  c ? `[${f(c[0])}, ${f(c[1])}]` : '-';
const num = (x: number | null | undefined) => (x == null ? '-' : x.toFixed(2));
const p = (x: number | null | undefined) =>
  x == null ? '-' : x < 0.0001 ? '<0.0001' : x.toFixed(4);

function print(report: ExperimentReport): void {
  const e = report.experiment;
  process.stdout.write(
    `${e.name} (${e.id}): ${e.conversionEvent} within ${e.attributionWindow} of first exposure\n\n`,
  );
  printTable([
    ['ARM', 'PEOPLE', 'CONVERSIONS', 'RATE', 'REVENUE/PERSON'],
    ...report.arms.map((a) => [
      a.arm === e.controlArm ? `${a.arm} (control)` : a.arm,
      String(a.people),
      String(a.conversions),
      pct(a.conversionRate),
      num(a.revenuePerPerson),
    ]),
  ]);
  for (const c of report.comparisons) {
    process.stdout.write(`\n${c.arm} vs ${c.against}\n`);
    printTable([
      ['MEASURE', 'ESTIMATE', '95% INTERVAL', 'P-VALUE'],
      ['lift', pct(c.conversion.lift.value), ci(c.conversion.lift.ci), p(c.conversion.pValue)],
      [
        'difference',
        pct(c.conversion.difference.value),
        ci(c.conversion.difference.ci),
        p(c.conversion.pValue),
      ],
      [
        'revenue/person diff',
        num(c.revenuePerPerson?.difference.value),
        ci(c.revenuePerPerson?.difference.ci, num),
        p(c.revenuePerPerson?.pValue),
      ],
      ['lift, CUPED', pct(c.cuped?.lift.value), ci(c.cuped?.lift.ci), p(c.cuped?.pValue)],
      ['always-valid', '-', ci(c.sequential.ci), p(c.sequential.pValue)],
    ]);
  }
  const srm = report.srm;
  process.stdout.write(
    srm
      ? `\nSample ratio: ${srm.observed.join(' / ')} (χ² p ${p(srm.pValue)})${
          srm.mismatch ? ': MISMATCH, assignment is broken; do not trust the numbers above' : ': ok'
        }\n`
      : '\nSample ratio: not enough people yet\n',
  );
}

/** `rapport report experiment ID`: an experiment's report for the default workspace. */
export async function runReportExperiment(id: string, flags: Flags): Promise<void> {
  const report = await withStore({ data: flags.data }, (store) =>
    experimentReport(store.db, DEFAULT_WORKSPACE_ID, id, systemClock.now()),
  );
  if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else print(report);
}

/** `rapport report program`: everyone outside the global control group against it. */
export async function runReportProgram(flags: Flags): Promise<void> {
  const report = await withStore({ data: flags.data }, async (store) => {
    const settings = await readSettings(store.db, DEFAULT_WORKSPACE_ID);
    return programReport(
      store.db,
      DEFAULT_WORKSPACE_ID,
      settings.measurement.globalControlPercent,
      systemClock.now(),
    );
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else print(report);
}
