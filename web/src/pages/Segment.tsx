import { api, enc } from '../api';
import { Link } from '../router';
import { formatNumber, Status, useLoad, when } from '../ui';
import type { Segment } from './Segments';

interface MemberPage {
  members: { profileId: string; since: string; identities: { kind: string; value: string }[] }[];
  nextCursor: string | null;
}

/** One segment: its rule and its members, the members as CSV; admins edit the rule. */
export function SegmentPage({ id, canChange }: { id: string; canChange: boolean }) {
  const segment = useLoad(() => api<Segment>('GET', `/v1/segments/${enc(id)}`), id);
  const members = useLoad(
    () => api<MemberPage>('GET', `/v1/segments/${enc(id)}/members?limit=100`),
    id,
  );
  return (
    <section>
      <p>
        <Link href="/segments">← Segments</Link>
      </p>
      <Status state={segment}>
        {(s) => (
          <>
            <h1>{s.name}</h1>
            <p className="muted">
              {s.kind} · version {s.version} · {s.ready ? 'ready' : 'computing members'} ·{' '}
              {formatNumber(s.members ?? 0)} members
            </p>
            {s.description ? <p>{s.description}</p> : null}
            <p className="actions">
              {/* A plain link: the session cookie authorizes the download (a GET). */}
              <a href={`/v1/segments/${enc(id)}/members.csv`} download>
                Export members as CSV
              </a>
              {canChange && s.kind === 'custom' ? (
                <Link href={`/segments/${enc(id)}/edit`}>Edit the rule</Link>
              ) : null}
            </p>
            <h2>Rule</h2>
            <pre className="content">{JSON.stringify(s.definition, null, 2)}</pre>
          </>
        )}
      </Status>
      <h2>Members</h2>
      <Status state={members}>
        {({ members: list, nextCursor }) =>
          list.length === 0 ? (
            <p className="muted">No members.</p>
          ) : (
            <>
              <table>
                <caption className="visually-hidden">Members</caption>
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Member since</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((m) => (
                    <tr key={m.profileId}>
                      <td>
                        <Link href={`/customers/profile_id/${enc(m.profileId)}`}>
                          {m.identities.find((i) => i.kind === 'email')?.value ??
                            m.identities[0]?.value ??
                            m.profileId}
                        </Link>
                      </td>
                      <td>{when(m.since)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {nextCursor ? <p className="muted">Showing the first 100.</p> : null}
            </>
          )
        }
      </Status>
    </section>
  );
}
