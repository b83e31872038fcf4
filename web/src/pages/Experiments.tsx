import { api, enc } from '../api';
import { Link } from '../router';
import { formatNumber, Status, useLoad, when } from '../ui';
import type { Maturity, Report } from './experiment-types';
import { ReportView } from './ReportView';

interface Experiment {
  id: string;
  kind: string;
  subjectId: string;
  name: string;
  implicit: boolean;
  people: Record<string, number>;
  updatedAt: string;
}

/** Every experiment with people per arm; the program's lift and the maturity level. */
export function Experiments() {
  const list = useLoad(
    () => api<{ experiments: Experiment[] }>('GET', '/v1/experiments'),
    'experiments',
  );
  const program = useLoad(() => api<Report>('GET', '/v1/reports/program'), 'program');
  const maturity = useLoad(() => api<Maturity>('GET', '/v1/reports/maturity'), 'maturity');
  return (
    <section>
      <h1>Experiments</h1>
      <Status state={list}>
        {({ experiments }) =>
          experiments.length === 0 ? (
            <p>No experiments yet.</p>
          ) : (
            <table>
              <caption className="visually-hidden">Experiments</caption>
              <thead>
                <tr>
                  <th scope="col">Experiment</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Subject</th>
                  <th scope="col">People per arm</th>
                  <th scope="col">Changed</th>
                </tr>
              </thead>
              <tbody>
                {experiments.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <Link href={`/experiments/${enc(e.id)}`}>{e.name}</Link>
                      <div className="muted">
                        {e.id}
                        {e.implicit ? ' · implied' : ''}
                      </div>
                    </td>
                    <td>{e.kind}</td>
                    <td>{e.subjectId}</td>
                    <td>
                      {Object.entries(e.people).map(([arm, n]) => (
                        <span key={arm} className="chip">
                          {arm}: {formatNumber(n)}
                        </span>
                      ))}
                    </td>
                    <td>{when(e.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Status>
      <h2>Personalization maturity</h2>
      <Status state={maturity}>{(m) => <MaturityView maturity={m} />}</Status>
      <h2>The whole program against the global control group</h2>
      <Status state={program}>
        {(r) => <ReportView report={r} chartLabel="program lift with 95% intervals" />}
      </Status>
    </section>
  );
}

export function MaturityView({ maturity: m }: { maturity: Maturity }) {
  return (
    <p>
      Level <strong data-testid="maturity-level">{m.level}</strong> from{' '}
      {formatNumber(m.evidence.messages)} messages to {formatNumber(m.evidence.people)} people in
      the last 90 days, {formatNumber(m.evidence.controlledExperiments)} controlled experiments.{' '}
      <span data-testid="maturity-next">Next step: {m.nextStep}</span>
    </p>
  );
}

/** One experiment's report. */
export function ExperimentPage({ id }: { id: string }) {
  const report = useLoad(
    () => api<Report>('GET', `/v1/experiments/${enc(id)}/report`),
    `experiment:${id}`,
  );
  return (
    <section>
      <Status state={report}>
        {(r) => (
          <>
            <h1>{r.experiment.name}</h1>
            <p className="muted">
              {r.experiment.id} · {r.experiment.kind} of {r.experiment.subjectId} · as of{' '}
              {when(r.at)}
            </p>
            <ReportView report={r} chartLabel="lift with 95% intervals" />
          </>
        )}
      </Status>
    </section>
  );
}
