import { api, enc } from '../api';
import { Link } from '../router';
import { Status, useLoad, when } from '../ui';
import { JourneyActions } from './journey-actions';
import { JourneyGallery } from './JourneyGallery';
import './editor.css';

export interface Journey {
  id: string;
  name: string;
  status: string;
  version: number;
  recipe: string | null;
  definition: Record<string, unknown>;
  updatedAt: string;
}

/** Every journey with its status; admins activate and pause them here. */
export function Journeys({ canChange }: { canChange: boolean }) {
  const state = useLoad(() => api<{ journeys: Journey[] }>('GET', '/v1/journeys'), 'journeys');
  return (
    <section>
      <h1>Journeys</h1>
      <Status state={state}>
        {({ journeys }) =>
          journeys.length === 0 ? (
            <p>No journeys yet.</p>
          ) : (
            <table>
              <caption className="visually-hidden">Journeys</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Version</th>
                  <th scope="col">Updated</th>
                  {canChange ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {journeys.map((j) => (
                  <tr key={j.id} data-journey={j.id}>
                    <td>
                      <Link href={`/journeys/${enc(j.id)}`}>{j.name}</Link>
                      {j.recipe ? <div className="muted">from recipe {j.recipe}</div> : null}
                    </td>
                    <td data-testid="journey-status">{j.status}</td>
                    <td>{j.version}</td>
                    <td>{when(j.updatedAt)}</td>
                    {canChange ? (
                      <td>
                        <JourneyActions
                          id={j.id}
                          name={j.name}
                          status={j.status}
                          onChanged={state.reload}
                        />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Status>
      {canChange ? <JourneyGallery /> : null}
    </section>
  );
}
