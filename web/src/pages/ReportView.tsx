import { IntervalChart, type Interval } from '../IntervalChart';
import { formatNumber } from '../ui';
import { intervalText, liftText, pText, type Report } from './experiment-types';

const rate = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);
const money = (v: number | null) => (v === null ? '—' : formatNumber(v));

/** An experiment's report: arms, lift with intervals (charted), revenue, CUPED, checks. */
export function ReportView({ report: r, chartLabel }: { report: Report; chartLabel: string }) {
  const intervals: Interval[] = r.comparisons.flatMap((c) => [
    { label: `${c.arm}: conversion`, value: c.conversion.lift.value, ci: c.conversion.lift.ci },
    ...(c.cuped
      ? [{ label: `${c.arm}: CUPED`, value: c.cuped.lift.value, ci: c.cuped.lift.ci }]
      : []),
    ...(c.revenuePerPerson
      ? [
          {
            label: `${c.arm}: revenue/person`,
            value: c.revenuePerPerson.lift.value,
            ci: c.revenuePerPerson.lift.ci,
          },
        ]
      : []),
  ]);
  return (
    <>
      <p className="muted">
        Conversion: {r.experiment.conversionEvent} within {r.experiment.attributionWindow} of the
        first exposure; control arm {r.experiment.controlArm}.
      </p>
      <table>
        <caption>Arms</caption>
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col" className="num">
              People
            </th>
            <th scope="col" className="num">
              Conversions
            </th>
            <th scope="col" className="num">
              Rate
            </th>
            <th scope="col" className="num">
              Revenue
            </th>
            <th scope="col" className="num">
              Revenue per person
            </th>
          </tr>
        </thead>
        <tbody>
          {r.arms.map((a) => (
            <tr key={a.arm}>
              <th scope="row">{a.arm}</th>
              <td className="num">{formatNumber(a.people)}</td>
              <td className="num">{formatNumber(a.conversions)}</td>
              <td className="num">{rate(a.conversionRate)}</td>
              <td className="num">{money(a.revenue)}</td>
              <td className="num">{money(a.revenuePerPerson)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.comparisons.length === 0 ? (
        <p className="muted">Nothing to compare yet.</p>
      ) : (
        <>
          <h2>Lift (95% intervals)</h2>
          <IntervalChart rows={intervals} label={chartLabel} />
          <table>
            <caption>Comparisons</caption>
            <thead>
              <tr>
                <th scope="col">Arm</th>
                <th scope="col">Measure</th>
                <th scope="col" className="num">
                  Lift
                </th>
                <th scope="col">95% interval</th>
                <th scope="col" className="num">
                  p-value
                </th>
              </tr>
            </thead>
            <tbody>
              {r.comparisons.flatMap((c) => [
                <tr key={`${c.arm}:conv`} data-testid={`lift-${c.arm}`}>
                  <th scope="row">
                    {c.arm} vs {c.against}
                  </th>
                  <td>conversion rate</td>
                  <td className="num" data-testid="lift">
                    {liftText(c.conversion.lift.value)}
                  </td>
                  <td>
                    {intervalText(c.conversion.lift.ci)}
                    <div className="muted">Fieller: {intervalText(c.conversion.lift.fieller)}</div>
                  </td>
                  <td className="num">{pText(c.conversion.pValue)}</td>
                </tr>,
                c.cuped ? (
                  <tr key={`${c.arm}:cuped`}>
                    <th scope="row">
                      {c.arm} vs {c.against}
                    </th>
                    <td>
                      CUPED ({c.cuped.covariate}; variance −
                      {c.cuped.varianceReduction === null
                        ? '—'
                        : `${(c.cuped.varianceReduction * 100).toFixed(0)}%`}
                      )
                    </td>
                    <td className="num">{liftText(c.cuped.lift.value)}</td>
                    <td>{intervalText(c.cuped.lift.ci)}</td>
                    <td className="num">{pText(c.cuped.pValue)}</td>
                  </tr>
                ) : null,
                c.revenuePerPerson ? (
                  <tr key={`${c.arm}:rev`}>
                    <th scope="row">
                      {c.arm} vs {c.against}
                    </th>
                    <td>revenue per person</td>
                    <td className="num">{liftText(c.revenuePerPerson.lift.value)}</td>
                    <td>{intervalText(c.revenuePerPerson.lift.ci)}</td>
                    <td className="num">{pText(c.revenuePerPerson.pValue)}</td>
                  </tr>
                ) : null,
                <tr key={`${c.arm}:seq`}>
                  <th scope="row">
                    {c.arm} vs {c.against}
                  </th>
                  <td>always-valid ({c.sequential.looks} looks)</td>
                  <td className="num">{c.sequential.significant ? 'significant' : 'not yet'}</td>
                  <td>{intervalText(c.sequential.ci)}</td>
                  <td className="num">{pText(c.sequential.pValue)}</td>
                </tr>,
              ])}
            </tbody>
          </table>
        </>
      )}
      {r.srm ? (
        <p className={r.srm.mismatch ? 'error' : 'muted'}>
          Sample ratio check: p = {pText(r.srm.pValue)}
          {r.srm.mismatch
            ? ' — the arms are not the sizes they should be; do not trust the lift until this is explained.'
            : ' (arms as expected).'}
        </p>
      ) : null}
    </>
  );
}
