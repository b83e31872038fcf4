import { useState, type SyntheticEvent } from 'react';
import { api, enc, qs } from '../api';
import { Link, navigate, useLocation } from '../router';
import { Status, useLoad, when } from '../ui';

interface ProfileSummary {
  id: string;
  identities: { kind: string; value: string }[];
  updatedAt: string;
}

/** Search people by any identifier's beginning: user id, e-mail, phone, anonymous id. */
export function Customers() {
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const [text, setText] = useState(q);
  const state = useLoad(
    () => api<{ profiles: ProfileSummary[] }>('GET', `/v1/profiles${qs({ q, limit: 50 })}`),
    q,
  );
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    navigate(`/customers${qs({ q: text.trim() })}`);
  };
  return (
    <section>
      <h1>Customers</h1>
      <form role="search" onSubmit={submit} className="inline">
        <label htmlFor="customer-q">Find by user id, e-mail, phone or anonymous id</label>
        <input
          id="customer-q"
          type="search"
          value={text}
          maxLength={200}
          onChange={(e) => setText(e.target.value)}
          placeholder="e.g. ada@example.com"
        />
        <button type="submit">Search</button>
      </form>
      <Status state={state}>
        {({ profiles }) =>
          profiles.length === 0 ? (
            <p>{q ? `Nobody has an identifier starting with “${q}”.` : 'No profiles yet.'}</p>
          ) : (
            <table>
              <caption>{q ? `People matching “${q}”` : 'Recently updated people'}</caption>
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
          )
        }
      </Status>
    </section>
  );
}

function label(p: ProfileSummary): string {
  const pick = (kind: string) => p.identities.find((i) => i.kind === kind)?.value;
  return pick('email') ?? pick('user_id') ?? pick('phone') ?? p.id;
}
