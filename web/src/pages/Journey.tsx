import { lazy, Suspense, useEffect } from 'react';
import { api, enc } from '../api';
import { Link } from '../router';
import { formatNumber, Status, useLoad } from '../ui';
import { JourneyActions } from './journey-actions';
import type { Journey } from './Journeys';

type Counts = {
  entered: number;
  waiting: number;
  completed: number;
  exited: number;
  converted: number;
};
export interface JourneyStats {
  runs: { treated: number; holdout: number };
  converted: { treated: number; holdout: number };
  messages: Record<string, number>;
  steps: { stepId: string; type: string; treated: Counts; holdout: Counts }[];
}

// React Flow is most of the bundle's weight: loaded only when a journey is opened.
const JourneyEditor = lazy(() =>
  import('./JourneyEditor').then((m) => ({ default: m.JourneyEditor })),
);

/** How often the per-step counts refresh while the page is open. */
const STATS_EVERY_MS = 10_000;

/** One journey: status, live per-step counts and its graph (an editor for admins). */
export function JourneyPage({ id, canChange }: { id: string; canChange: boolean }) {
  const journey = useLoad(() => api<Journey>('GET', `/v1/journeys/${enc(id)}`), id);
  const stats = useLoad(() => api<JourneyStats>('GET', `/v1/journeys/${enc(id)}/stats`), id);
  const reload = () => {
    journey.reload();
    stats.reload();
  };
  const reloadStats = stats.reload;
  useEffect(() => {
    const timer = setInterval(reloadStats, STATS_EVERY_MS);
    return () => clearInterval(timer);
  }, [reloadStats]);
  return (
    <section>
      <p>
        <Link href="/journeys">← Journeys</Link>
      </p>
      <Status state={journey}>
        {(j) => (
          <>
            <h1>{j.name}</h1>
            <p>
              Status: <strong data-testid="journey-status">{j.status}</strong> · version {j.version}{' '}
              {canChange ? (
                <JourneyActions id={j.id} name={j.name} status={j.status} onChanged={reload} />
              ) : null}
            </p>
          </>
        )}
      </Status>
      <h2>Steps</h2>
      <Status state={stats}>
        {(s) => (
          <>
            <p>
              {formatNumber(s.runs.treated)} people entered ({formatNumber(s.runs.holdout)} held
              out); {formatNumber(s.converted.treated)} converted.
            </p>
            <table>
              <caption className="visually-hidden">People per step</caption>
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  <th scope="col">Type</th>
                  <th scope="col" className="num">
                    Entered
                  </th>
                  <th scope="col" className="num">
                    Waiting
                  </th>
                  <th scope="col" className="num">
                    Completed
                  </th>
                  <th scope="col" className="num">
                    Exited
                  </th>
                  <th scope="col" className="num">
                    Converted
                  </th>
                </tr>
              </thead>
              <tbody>
                {s.steps.map((step) => (
                  <tr key={step.stepId}>
                    <td>{step.stepId}</td>
                    <td>{step.type}</td>
                    <td className="num">{formatNumber(step.treated.entered)}</td>
                    <td className="num">{formatNumber(step.treated.waiting)}</td>
                    <td className="num">{formatNumber(step.treated.completed)}</td>
                    <td className="num">{formatNumber(step.treated.exited)}</td>
                    <td className="num">{formatNumber(step.treated.converted)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {journey.data ? (
              <>
                <h2>Graph</h2>
                <Suspense fallback={<p aria-busy="true">Loading the graph…</p>}>
                  <JourneyEditor
                    journey={journey.data}
                    stats={s}
                    canChange={canChange}
                    onSaved={reload}
                  />
                </Suspense>
              </>
            ) : null}
          </>
        )}
      </Status>
      <p>
        <Link href={`/messages?journeyId=${enc(id)}`}>Messages of this journey</Link>
      </p>
    </section>
  );
}
