import { useEffect, useMemo } from 'react';
import { api } from '../api';
import { TimeChart } from '../Chart';
import { Link } from '../router';
import { formatNumber, Status, useLoad } from '../ui';
import { intervalText, liftText, type Maturity, type Report } from './experiment-types';

interface Overview {
  at: string;
  events: { from: string; perMinute: number[] };
  profiles: number;
  journeys: Record<string, number>;
  messages: Record<string, number>;
  pipeline: { pending: number; lagSeconds: number };
}

const REFRESH_MS = 15_000;

export function Overview() {
  const state = useLoad(() => api<Overview>('GET', '/v1/stats/overview?minutes=60'), 'overview');
  const { reload } = state;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  return (
    <section>
      <h1>Overview</h1>
      <Status state={state}>{(o) => <OverviewBody overview={o} />}</Status>
      <ProgramAndMaturity />
    </section>
  );
}

function OverviewBody({ overview: o }: { overview: Overview }) {
  const lastHour = o.events.perMinute.reduce((a, b) => a + b, 0);
  const times = useMemo(() => {
    const from = Date.parse(o.events.from) / 1000;
    return o.events.perMinute.map((_, i) => from + i * 60);
  }, [o.events.from, o.events.perMinute]);
  const sent = o.messages.sent ?? 0;
  const messageTotal = Object.values(o.messages).reduce((a, b) => a + b, 0);
  return (
    <>
      <ul className="tiles" aria-label="Key numbers">
        <Tile label="Profiles" value={o.profiles} testId="profiles" />
        <Tile label="Events in the last hour" value={lastHour} testId="events-hour" />
        <Tile label="Active journeys" value={o.journeys.active ?? 0} testId="active-journeys" />
        <Tile label="Messages sent" value={sent} testId="messages-sent" />
        <Tile
          label="Pipeline lag (seconds)"
          value={Math.round(o.pipeline.lagSeconds)}
          testId="pipeline-lag"
        />
        <Tile label="Events waiting" value={o.pipeline.pending} testId="pending" />
      </ul>
      <h2>Events per minute</h2>
      <TimeChart label="events per minute" times={times} values={o.events.perMinute} />
      <div className="columns">
        <div>
          <h2>Messages by status</h2>
          <CountTable counts={o.messages} total={messageTotal} caption="Messages by status" />
        </div>
        <div>
          <h2>Journeys by status</h2>
          <CountTable
            counts={o.journeys}
            total={Object.values(o.journeys).reduce((a, b) => a + b, 0)}
            caption="Journeys by status"
          />
        </div>
      </div>
      <p className="muted">As of {new Date(o.at).toISOString()}; refreshed every 15 seconds.</p>
    </>
  );
}

/** The program's lift against the global control group, and the maturity level. */
function ProgramAndMaturity() {
  const program = useLoad(() => api<Report>('GET', '/v1/reports/program'), 'program');
  const maturity = useLoad(() => api<Maturity>('GET', '/v1/reports/maturity'), 'maturity');
  return (
    <div className="columns">
      <div>
        <h2>Program lift</h2>
        <Status state={program}>
          {(r) => {
            const c = r.comparisons[0];
            const people = r.arms.reduce((n, a) => n + a.people, 0);
            const control = r.arms.find((a) => a.arm === r.experiment.controlArm);
            return c && control?.people ? (
              <p>
                <strong className="tile-value" data-testid="program-lift">
                  {liftText(c.conversion.lift.value)}
                </strong>{' '}
                conversion lift of everyone against the global control group (95% interval{' '}
                {intervalText(c.conversion.lift.ci)}; {formatNumber(people)} people).{' '}
                <Link href="/experiments">Experiments</Link>
              </p>
            ) : (
              <p className="muted" data-testid="program-lift">
                No global control group yet: set measurement.globalControlPercent to measure the
                whole program.
              </p>
            );
          }}
        </Status>
      </div>
      <div>
        <h2>Maturity</h2>
        <Status state={maturity}>
          {(m) => (
            <p>
              <strong className="tile-value" data-testid="maturity-level">
                {m.level}
              </strong>{' '}
              <span data-testid="maturity-next">Next step: {m.nextStep}</span>
            </p>
          )}
        </Status>
      </div>
    </div>
  );
}

function Tile({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <li className="tile">
      <span className="tile-label">{label}</span>
      <strong className="tile-value" data-testid={testId}>
        {formatNumber(value)}
      </strong>
    </li>
  );
}

function CountTable({
  counts,
  total,
  caption,
}: {
  counts: Record<string, number>;
  total: number;
  caption: string;
}) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  if (rows.length === 0) return <p className="muted">None yet.</p>;
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Count
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([status, n]) => (
          <tr key={status}>
            <td>{status}</td>
            <td className="num">{formatNumber(n)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td className="num">{formatNumber(total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
