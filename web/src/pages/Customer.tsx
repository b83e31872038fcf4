import { api, enc } from '../api';
import { Link } from '../router';
import { Fields, Status, useLoad, Value, when } from '../ui';
import { MessageList, type Message } from './MessageList';

interface ProfileView {
  id: string;
  identities: Record<string, string[]>;
  traits: Record<string, unknown>;
  computed: Record<string, unknown>;
  segments: { id: string; name: string; since: string }[];
  createdAt: string;
  updatedAt: string;
  recentEvents: { id: number; type: string; event: string | null; timestamp: string }[];
}
interface Run {
  runId: string;
  journeyId: string;
  status: string;
  stepId: string;
  holdout: boolean;
  enteredAt: string;
  endReason: string | null;
}
interface TraceEntry {
  id: string;
  at: string;
  kind: string;
  summary: string;
}
type ConsentEntry = { state: string; source: string; at: number };
interface Consents {
  channels: Record<string, ConsentEntry>;
  topics: Record<string, ConsentEntry>;
  personalization?: ConsentEntry;
}

/** One person: everything the API knows about them, on one page. */
export function Customer({ kind, value }: { kind: string; value: string }) {
  const base = `/v1/profiles/${enc(kind)}/${enc(value)}`;
  const profile = useLoad(() => api<ProfileView>('GET', base), base);
  return (
    <section>
      <p>
        <Link href="/customers">← Customers</Link>
      </p>
      <Status state={profile}>{(p) => <CustomerBody profile={p} />}</Status>
    </section>
  );
}

function CustomerBody({ profile: p }: { profile: ProfileView }) {
  const base = `/v1/profiles/profile_id/${enc(p.id)}`;
  const journeys = useLoad(async () => {
    const [{ runs }, { journeys: all }] = await Promise.all([
      api<{ runs: Run[] }>('GET', `${base}/journeys`),
      api<{ journeys: { id: string; name: string }[] }>('GET', '/v1/journeys'),
    ]);
    const names = new Map(all.map((j) => [j.id, j.name]));
    return { runs: runs.map((r) => ({ ...r, name: names.get(r.journeyId) ?? r.journeyId })) };
  }, p.id);
  const consent = useLoad(() => api<Consents>('GET', `${base}/consent`), p.id);
  const messages = useLoad(
    () => api<{ messages: Message[] }>('GET', `/v1/messages?profileId=${enc(p.id)}&limit=50`),
    p.id,
  );
  const trace = useLoad(() => api<{ entries: TraceEntry[] }>('GET', `${base}/trace`), p.id);
  const email = p.identities.email?.[0];
  return (
    <>
      <h1>{email ?? p.identities.user_id?.[0] ?? p.id}</h1>
      <p className="muted">
        Profile {p.id} · first seen {when(p.createdAt)} · updated {when(p.updatedAt)}
      </p>
      <div className="columns">
        <div>
          <h2>Identifiers</h2>
          <Fields
            object={Object.fromEntries(
              Object.entries(p.identities)
                .filter(([, v]) => v.length > 0)
                .map(([k, v]) => [k, v.join(', ')]),
            )}
            empty="No identifiers."
          />
          <h2>Traits</h2>
          <Fields object={p.traits} empty="No traits." />
        </div>
        <div>
          <h2>Computed traits</h2>
          <Fields object={p.computed} empty="Nothing computed yet." />
        </div>
      </div>
      <h2>Segments</h2>
      {p.segments.length === 0 ? (
        <p className="muted">In no segment.</p>
      ) : (
        <ul>
          {p.segments.map((s) => (
            <li key={s.id}>
              <Link href={`/segments/${enc(s.id)}`}>{s.name}</Link> since {when(s.since)}
            </li>
          ))}
        </ul>
      )}
      <h2>Journeys</h2>
      <Status state={journeys}>
        {({ runs }) =>
          runs.length === 0 ? (
            <p className="muted">In no journey.</p>
          ) : (
            <table>
              <caption className="visually-hidden">Journeys of this person</caption>
              <thead>
                <tr>
                  <th scope="col">Journey</th>
                  <th scope="col">Status</th>
                  <th scope="col">Step</th>
                  <th scope="col">Entered</th>
                  <th scope="col">Ended because</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.runId}>
                    <td>
                      <Link href={`/journeys/${enc(r.journeyId)}`}>{r.name}</Link>
                      {r.holdout ? ' (holdout)' : ''}
                    </td>
                    <td>{r.status}</td>
                    <td>{r.stepId}</td>
                    <td>{when(r.enteredAt)}</td>
                    <td>
                      <Value value={r.endReason} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Status>
      <h2>Consent</h2>
      <Status state={consent}>{(c) => <ConsentTable consents={c} />}</Status>
      <h2>Messages</h2>
      <Status state={messages}>{({ messages: m }) => <MessageList messages={m} />}</Status>
      <h2>Recent events</h2>
      {p.recentEvents.length === 0 ? (
        <p className="muted">No events.</p>
      ) : (
        <ul>
          {p.recentEvents.map((e) => (
            <li key={e.id}>
              {when(e.timestamp)}: {e.type}
              {e.event ? ` “${e.event}”` : ''}
            </li>
          ))}
        </ul>
      )}
      <h2>Trace: why this, why now</h2>
      <Status state={trace}>
        {({ entries }) =>
          entries.length === 0 ? (
            <p className="muted">Nothing to trace yet.</p>
          ) : (
            <ol className="trace">
              {entries.map((t) => (
                <li key={t.id}>
                  <time dateTime={t.at}>{when(t.at)}</time> <span className="chip">{t.kind}</span>{' '}
                  {t.summary}
                </li>
              ))}
            </ol>
          )
        }
      </Status>
    </>
  );
}

function ConsentTable({ consents }: { consents: Consents }) {
  const rows: [string, ConsentEntry][] = [
    ...Object.entries(consents.channels).map(([k, v]): [string, ConsentEntry] => [
      `channel ${k}`,
      v,
    ]),
    ...Object.entries(consents.topics).map(([k, v]): [string, ConsentEntry] => [`topic ${k}`, v]),
    ...(consents.personalization
      ? [['personalization', consents.personalization] as [string, ConsentEntry]]
      : []),
  ];
  if (rows.length === 0) {
    return <p className="muted">No consent recorded: the workspace's policy decides.</p>;
  }
  return (
    <table>
      <caption className="visually-hidden">Consent</caption>
      <thead>
        <tr>
          <th scope="col">About</th>
          <th scope="col">State</th>
          <th scope="col">Source</th>
          <th scope="col">Since</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([about, c]) => (
          <tr key={about}>
            <td>{about}</td>
            <td>{c.state}</td>
            <td>{c.source}</td>
            <td>{when(new Date(c.at).toISOString())}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
