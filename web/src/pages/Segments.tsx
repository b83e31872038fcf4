import { api, enc } from '../api';
import { Link } from '../router';
import { formatNumber, Status, useLoad, when } from '../ui';

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  definition: unknown;
  kind: string;
  version: number;
  ready: boolean;
  members?: number;
  updatedAt: string;
}

/** Every segment with its member count. */
export function Segments({ canChange }: { canChange: boolean }) {
  const state = useLoad(() => api<{ segments: Segment[] }>('GET', '/v1/segments'), 'segments');
  return (
    <section>
      <h1>Segments</h1>
      {canChange ? (
        <p>
          <Link href="/segments/new">New segment</Link>
        </p>
      ) : null}
      <Status state={state}>
        {({ segments }) =>
          segments.length === 0 ? (
            <p>No segments yet.</p>
          ) : (
            <table>
              <caption className="visually-hidden">Segments</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">
                    Members
                  </th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {segments.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link href={`/segments/${enc(s.id)}`}>{s.name}</Link>
                      {s.description ? <div className="muted">{s.description}</div> : null}
                    </td>
                    <td>{s.kind}</td>
                    <td className="num">{s.ready ? formatNumber(s.members ?? 0) : 'computing…'}</td>
                    <td>{when(s.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Status>
    </section>
  );
}
