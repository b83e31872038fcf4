import { useState, type SyntheticEvent } from 'react';
import { api, qs } from '../api';
import { navigate, useLocation } from '../router';
import { ErrorBox, formatNumber, messageOf, Status, useLoad, when } from '../ui';

/** The strategies every workspace's models serve (docs/recommendations.md). */
const STRATEGIES = [
  'auto',
  'recently_viewed',
  'personalized',
  'popular',
  'trending',
  'bought_together',
  'viewed_together',
  'similar',
] as const;

interface Item {
  itemId: string;
  title?: string;
  price?: number;
  currency?: string;
  url?: string;
  image?: string;
  score: number;
  strategy: string;
  reason: { code: string; text: string; itemId?: string };
}
interface Answer {
  items: Item[];
  chain: string[];
  personalized: boolean;
  version: number | null;
}

/**
 * A preview of what a person or a product page would be recommended, per strategy. The
 * request says `preview=true`: the person's trace does not record it as shown to them.
 */
export function Recommendations({ canChange }: { canChange: boolean }) {
  const { search } = useLocation();
  const person = search.get('person') ?? '';
  const item = search.get('item') ?? '';
  const strategy = search.get('strategy') ?? 'auto';
  const asked = person !== '' || item !== '';
  const query = qs({
    ...(person.includes('@') ? {} : { userId: person }),
    itemId: item,
    strategy,
    limit: 12,
    preview: 'true',
  });
  const state = useLoad(
    () =>
      asked && person.includes('@')
        ? byEmail(person, query)
        : api<Answer>('GET', `/v1/recommendations${query}`),
    `${query}|${person}`,
  );
  return (
    <section>
      <h1>Recommendations</h1>
      <PreviewForm person={person} item={item} strategy={strategy} />
      {asked ? (
        <Status state={state}>{(a) => <Items answer={a} />}</Status>
      ) : (
        <p className="muted">Name a person, a product, or both to preview.</p>
      )}
      <h2>Model versions</h2>
      {canChange ? (
        <Versions />
      ) : (
        <p className="muted">Model versions, retraining and rollback need an admin key.</p>
      )}
    </section>
  );
}

/** An e-mail address names a profile; recommendations take that profile's user id. */
async function byEmail(email: string, query: string): Promise<Answer> {
  const profile = await api<{ identities: Record<string, string[]> }>(
    'GET',
    `/v1/profiles/email/${encodeURIComponent(email)}`,
  );
  const userId = profile.identities.user_id?.[0];
  if (!userId) throw new Error(`${email} has no user id: recommendations are asked by user id.`);
  return api<Answer>('GET', `/v1/recommendations${query}&${qs({ userId }).slice(1)}`);
}

function PreviewForm(props: { person: string; item: string; strategy: string }) {
  const [person, setPerson] = useState(props.person);
  const [item, setItem] = useState(props.item);
  const [strategy, setStrategy] = useState(props.strategy);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    navigate(`/recommendations${qs({ person: person.trim(), item: item.trim(), strategy })}`);
  };
  return (
    <form className="inline" onSubmit={submit} aria-label="Preview recommendations">
      <label>
        Person (user id or e-mail){' '}
        <input value={person} onChange={(e) => setPerson(e.target.value)} maxLength={400} />
      </label>
      <label>
        Product id <input value={item} onChange={(e) => setItem(e.target.value)} maxLength={200} />
      </label>
      <label>
        Strategy{' '}
        <select value={strategy} onChange={(e) => setStrategy(e.target.value)}>
          {STRATEGIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <button type="submit">Preview</button>
    </form>
  );
}

function Items({ answer }: { answer: Answer }) {
  if (answer.items.length === 0)
    return (
      <p>
        Nothing to recommend.{' '}
        {answer.version === null ? 'No model has been trained yet.' : 'Try another strategy.'}
      </p>
    );
  return (
    <>
      <p className="muted">
        Model version {answer.version ?? '—'}; tried {answer.chain.join(' → ')}
        {answer.personalized ? '' : '; this person opted out of personalization'}.
      </p>
      <ol className="rec-items" aria-label="Recommended items">
        {answer.items.map((i) => (
          <li key={i.itemId} className="rec-item" data-item={i.itemId}>
            {i.image && /^(https:\/\/|data:image\/)/.test(i.image) ? (
              <img src={i.image} alt="" loading="lazy" />
            ) : null}
            <div>
              <strong>
                {i.url ? <a href={i.url}>{i.title ?? i.itemId}</a> : (i.title ?? i.itemId)}
              </strong>
              <div className="muted">
                {i.itemId}
                {i.price !== undefined ? ` · ${formatNumber(i.price)} ${i.currency ?? ''}` : ''}
              </div>
              <div data-testid="reason">{i.reason.text}</div>
              <div className="muted">
                {i.strategy} · score {formatNumber(i.score)}
              </div>
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}

interface Version {
  version: number;
  publishedAt: number;
  trainedAt: number;
  trainedThrough: number | null;
  current: boolean;
  note?: string;
}

function Versions() {
  const state = useLoad(
    () => api<{ versions: Version[] }>('GET', '/v1/admin/recommendations/versions'),
    'versions',
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const act = async (call: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await call());
      state.reload();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const retrain = () =>
    act(async () => {
      const r = await api<{ version: number; interactions: number; items: number }>(
        'POST',
        '/v1/admin/recommendations/train',
      );
      return `Version ${r.version} trained on ${formatNumber(r.interactions)} interactions and ${formatNumber(r.items)} items.`;
    });
  const rollback = (version: number) =>
    act(async () => {
      const r = await api<{ version: number }>('POST', '/v1/admin/recommendations/rollback', {
        version,
      });
      return `Version ${r.version} serves again.`;
    });
  return (
    <>
      <p className="actions">
        <button type="button" disabled={busy} onClick={() => void retrain()}>
          Retrain now
        </button>
      </p>
      {done ? <p role="status">{done}</p> : null}
      {error ? <ErrorBox message={error} /> : null}
      <Status state={state}>
        {({ versions }) =>
          versions.length === 0 ? (
            <p>No model trained in this process yet.</p>
          ) : (
            <table>
              <caption className="visually-hidden">Model versions</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Trained</th>
                  <th scope="col">Data through</th>
                  <th scope="col">Note</th>
                  <th scope="col">Serving</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => (
                  <tr key={v.version}>
                    <td>{v.version}</td>
                    <td>{when(new Date(v.trainedAt).toISOString())}</td>
                    <td>
                      {v.trainedThrough === null
                        ? '—'
                        : when(new Date(v.trainedThrough).toISOString())}
                    </td>
                    <td>{v.note ?? '—'}</td>
                    <td>
                      {v.current ? (
                        'serving'
                      ) : (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => void rollback(v.version)}
                        >
                          Roll back to version {v.version}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Status>
      <p className="muted">
        Versions live in the serving process&apos;s memory (the last three). Offline evaluation
        results are not stored: run <code>rapport eval recs</code> for precision, recall and NDCG.
      </p>
    </>
  );
}
