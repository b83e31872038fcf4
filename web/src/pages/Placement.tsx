import { useState, type SyntheticEvent } from 'react';
import { api, enc } from '../api';
import { Link } from '../router';
import { ErrorBox, formatNumber, messageOf, Status, useLoad, when } from '../ui';
import { CHANNELS, type Placement } from './offer-types';

interface Stats {
  version: number;
  policy: string;
  learned: { offerId: string; n: number; rewardSum: number; meanReward: number | null }[] | null;
  learnedAt: string | null;
  days: number;
  logged: {
    offerId: string;
    holdout: boolean;
    decisions: number;
    clicked: number;
    converted: number;
    redeemed: number;
    revenue: number;
  }[];
}

/** A placement: its policy, what the policy learned, and a preview decision for a person. */
export function PlacementPage({ name }: { name: string }) {
  const placement = useLoad(
    () => api<Placement>('GET', `/v1/placements/${enc(name)}`),
    `placement:${name}`,
  );
  const stats = useLoad(
    () => api<Stats>('GET', `/v1/placements/${enc(name)}/stats`),
    `placement-stats:${name}`,
  );
  return (
    <section>
      <h1>Placement {name}</h1>
      <Status state={placement}>
        {(p) => (
          <>
            <dl className="fields">
              <div>
                <dt>Policy</dt>
                <dd>
                  <code className="json">{JSON.stringify(p.policy)}</code>
                </dd>
              </div>
              <div>
                <dt>Candidates</dt>
                <dd>
                  {p.candidates.map((c) => (
                    <Link key={c} className="chip" href={`/offers/${enc(c)}`}>
                      {c}
                    </Link>
                  ))}
                </dd>
              </div>
              <div>
                <dt>Default</dt>
                <dd>{p.default}</dd>
              </div>
              <div>
                <dt>Holdout</dt>
                <dd>{p.holdoutPercent}% of people get the default</dd>
              </div>
              <div>
                <dt>Learns from</dt>
                <dd>
                  {p.reward}s within {p.attributionWindow}
                </dd>
              </div>
              <div>
                <dt>Version</dt>
                <dd>
                  {p.version}, changed {when(p.updatedAt)}
                </dd>
              </div>
            </dl>
            <h2>Decide for a person</h2>
            <DecidePreview placement={p.name} />
          </>
        )}
      </Status>
      <Status state={stats}>{(s) => <Learned stats={s} />}</Status>
    </section>
  );
}

function Learned({ stats }: { stats: Stats }) {
  return (
    <>
      <h2>What the policy learned</h2>
      {stats.learned === null ? (
        <p className="muted">
          The {stats.policy} policy of version {stats.version} has learned nothing yet
          {stats.policy === 'fixed' || stats.policy === 'weighted' ? ' (it does not learn)' : ''}.
        </p>
      ) : (
        <table>
          <caption className="visually-hidden">What the policy learned</caption>
          <thead>
            <tr>
              <th scope="col">Offer</th>
              <th scope="col" className="num">
                Decisions learned
              </th>
              <th scope="col" className="num">
                Reward
              </th>
              <th scope="col" className="num">
                Mean reward
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.learned.map((l) => (
              <tr key={l.offerId}>
                <td>{l.offerId}</td>
                <td className="num">{formatNumber(l.n)}</td>
                <td className="num">{formatNumber(l.rewardSum)}</td>
                <td className="num">{l.meanReward === null ? '—' : formatNumber(l.meanReward)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Decisions in the last {stats.days} days</h2>
      {stats.logged.length === 0 ? (
        <p className="muted">No decisions yet.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Decisions per offer</caption>
          <thead>
            <tr>
              <th scope="col">Offer</th>
              <th scope="col">Group</th>
              <th scope="col" className="num">
                Decisions
              </th>
              <th scope="col" className="num">
                Clicked
              </th>
              <th scope="col" className="num">
                Converted
              </th>
              <th scope="col" className="num">
                Redeemed
              </th>
              <th scope="col" className="num">
                Revenue
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.logged.map((r) => (
              <tr key={`${r.offerId}:${String(r.holdout)}`}>
                <td>{r.offerId}</td>
                <td>{r.holdout ? 'holdout' : 'policy'}</td>
                <td className="num">{formatNumber(r.decisions)}</td>
                <td className="num">{formatNumber(r.clicked)}</td>
                <td className="num">{formatNumber(r.converted)}</td>
                <td className="num">{formatNumber(r.redeemed)}</td>
                <td className="num">{formatNumber(r.revenue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

interface Preview {
  offer: { id: string; name: string; kind: string; code: string | null } | null;
  propensity: number;
  holdout: boolean;
  reasons: string[];
}

/** `POST /v1/decide` with `dryRun`: nothing is logged, spent, claimed or recorded. */
function DecidePreview({ placement }: { placement: string }) {
  const [person, setPerson] = useState('');
  const [context, setContext] = useState('{}');
  const [channel, setChannel] = useState('');
  const [result, setResult] = useState<Preview>();
  const [error, setError] = useState<string>();
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setError(undefined);
    setResult(undefined);
    try {
      let ctx: unknown;
      try {
        ctx = JSON.parse(context || '{}');
      } catch {
        throw new Error('Context: not valid JSON.');
      }
      setResult(
        await api<Preview>('POST', '/v1/decide', {
          placement,
          userId: person.trim(),
          context: ctx,
          ...(channel ? { channel } : {}),
          dryRun: true,
        }),
      );
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <>
      <form className="inline" onSubmit={(e) => void submit(e)} aria-label="Decide for a person">
        <label>
          User id <input value={person} onChange={(e) => setPerson(e.target.value)} required />
        </label>
        <label>
          Context (JSON){' '}
          <input value={context} onChange={(e) => setContext(e.target.value)} size={28} />
        </label>
        <label>
          Channel{' '}
          <select value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">any</option>
            {CHANNELS.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <button type="submit">Preview decision</button>
      </form>
      <p className="muted">A preview: it is not logged, spends no budget and hands out no code.</p>
      {error ? <ErrorBox message={error} /> : null}
      {result ? (
        <div className="preview" data-testid="decide-preview">
          <p>
            <strong>{result.offer ? result.offer.name : 'No offer'}</strong>
            {result.offer ? ` (${result.offer.id})` : ''}
            {result.holdout ? ' — held out: the default' : ''}, probability{' '}
            {formatNumber(result.propensity)}
            {result.offer?.code ? `, code ${result.offer.code} (already theirs)` : ''}
          </p>
          <ul>
            {result.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}
