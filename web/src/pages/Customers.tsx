import { useState, type SyntheticEvent } from 'react';
import { api, enc, qs } from '../api';
import { Link, navigate, useLocation } from '../router';
import { Status, useLoad, when } from '../ui';

interface ProfileSummary {
  id: string;
  identities: { kind: string; value: string }[];
  updatedAt: string;
  name?: string | null;
}
interface Found {
  profiles: ProfileSummary[];
  nextCursor: string | null;
  scanned?: number;
}

/**
 * Search people by any identifier's beginning (user id, e-mail, phone, anonymous id) or
 * by name. A name search reads a bounded number of people per request (names are inside
 * each profile, which no index reaches): "Search further" goes on from where it stopped.
 */
export function Customers() {
  const { search } = useLocation();
  const name = search.get('name') ?? '';
  const q = name ? '' : (search.get('q') ?? '');
  const cursor = search.get('cursor') ?? undefined;
  const [by, setBy] = useState<'q' | 'name'>(name ? 'name' : 'q');
  const [text, setText] = useState(name || q);
  const query = name ? { name, cursor, limit: 50 } : { q, limit: 50 };
  const state = useLoad(() => api<Found>('GET', `/v1/profiles${qs(query)}`), qs(query));
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    navigate(`/customers${qs({ [by]: text.trim() })}`);
  };
  const term = name || q;
  return (
    <section>
      <h1>Customers</h1>
      <form role="search" onSubmit={submit} className="inline">
        <label htmlFor="customer-by">Search by</label>
        <select id="customer-by" value={by} onChange={(e) => setBy(e.target.value as 'q' | 'name')}>
          <option value="q">identifier</option>
          <option value="name">name</option>
        </select>
        <label htmlFor="customer-q">
          {by === 'name' ? 'Find by name' : 'Find by user id, e-mail, phone or anonymous id'}
        </label>
        <input
          id="customer-q"
          type="search"
          value={text}
          maxLength={200}
          onChange={(e) => setText(e.target.value)}
          placeholder={by === 'name' ? 'e.g. Ada Lovelace' : 'e.g. ada@example.com'}
        />
        <button type="submit">Search</button>
      </form>
      <Status state={state}>
        {({ profiles, nextCursor, scanned }) => (
          <>
            {profiles.length === 0 ? (
              <p>
                {name
                  ? `Nobody${cursor ? ' further on' : ''} is named “${name}”${nextCursor ? ' among the people looked at so far' : ''}.`
                  : q
                    ? `Nobody has an identifier starting with “${q}”.`
                    : 'No profiles yet.'}
              </p>
            ) : (
              <Results profiles={profiles} term={term} />
            )}
            {name && scanned !== undefined ? (
              <p className="muted" data-testid="name-scan">
                Looked through {scanned.toLocaleString('en')} people
                {nextCursor ? '; there are more. ' : '.'}
                {nextCursor ? (
                  <Link href={`/customers${qs({ name, cursor: nextCursor })}`}>Search further</Link>
                ) : null}
              </p>
            ) : null}
          </>
        )}
      </Status>
    </section>
  );
}

function Results({ profiles, term }: { profiles: ProfileSummary[]; term: string }) {
  return (
    <table>
      <caption>{term ? `People matching “${term}”` : 'Recently updated people'}</caption>
      <thead>
        <tr>
          <th scope="col">Person</th>
          <th scope="col">Identifiers</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {profiles.map((p) => (
          <tr key={p.id}>
            <td>
              <Link href={`/customers/profile_id/${enc(p.id)}`}>{label(p)}</Link>
              {p.name ? <div className="muted">{p.name}</div> : null}
            </td>
            <td>
              {p.identities.map((i) => (
                <span key={`${i.kind}:${i.value}`} className="chip">
                  {i.kind}: {i.value}
                </span>
              ))}
            </td>
            <td>{when(p.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function label(p: ProfileSummary): string {
  const pick = (kind: string) => p.identities.find((i) => i.kind === kind)?.value;
  return pick('email') ?? pick('user_id') ?? pick('phone') ?? p.id;
}
