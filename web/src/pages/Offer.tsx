import { api, enc } from '../api';
import { Link } from '../router';
import { Status, useLoad, Value, when } from '../ui';
import { budgetText, type Offer } from './offer-types';

interface Version {
  version: number;
  createdAt: string;
  definition: Record<string, unknown>;
}

/** One offer: what it shows, to whom, how often, its budget and codes, and its versions. */
export function OfferPage({ id, canChange }: { id: string; canChange: boolean }) {
  const offer = useLoad(() => api<Offer>('GET', `/v1/offers/${enc(id)}`), `offer:${id}`);
  const versions = useLoad(
    () => api<{ versions: Version[] }>('GET', `/v1/offers/${enc(id)}/versions`),
    `offer-versions:${id}`,
  );
  return (
    <section>
      <Status state={offer}>
        {(o) => (
          <>
            <h1>{o.name}</h1>
            <p className="muted">
              {o.id} · {o.kind} · version {o.version} · changed {when(o.updatedAt)}
              {canChange ? (
                <>
                  {' · '}
                  <Link href={`/offers/${enc(o.id)}/edit`}>Edit offer</Link>
                </>
              ) : null}
            </p>
            <ul className="tiles" aria-label="Budget and codes">
              <li className="tile">
                <span className="tile-label">Decisions (of budget)</span>
                <strong className="tile-value" data-testid="budget-count">
                  {budgetText(o.spent.count, o.budget?.count)}
                </strong>
                <Meter spent={o.spent.count} total={o.budget?.count} label="decisions budget" />
              </li>
              <li className="tile">
                <span className="tile-label">Spent (of budget)</span>
                <strong className="tile-value" data-testid="budget-spend">
                  {budgetText(o.spent.amount, o.budget?.spend)}
                </strong>
                <Meter spent={o.spent.amount} total={o.budget?.spend} label="spend budget" />
              </li>
              <li className="tile">
                <span className="tile-label">Coupon codes left</span>
                <strong className="tile-value" data-testid="codes-free">
                  {o.codes ? (o.codesFree ?? 0).toLocaleString('en') : 'no codes'}
                </strong>
              </li>
            </ul>
            <h2>Rules</h2>
            <dl className="fields">
              <Row label="Eligibility" value={o.eligibility ?? 'everyone'} />
              <Row label="Valid" value={`${o.validFrom ?? 'always'} – ${o.validUntil ?? 'open'}`} />
              <Row label="Channels" value={o.channels?.join(', ') ?? 'all'} />
              <Row label="Consent topic" value={o.consentTopic} />
              <Row
                label="Per-person cap"
                value={
                  o.caps?.perPerson
                    ? `${o.caps.perPerson.max} within ${o.caps.perPerson.within}`
                    : 'none'
                }
              />
              <Row label="Never after redeemed" value={o.caps?.neverAfterRedeemed ? 'yes' : 'no'} />
              <Row label="Value per decision" value={o.value} />
              <Row label="Margin" value={o.margin} />
              <Row label="Priority" value={o.priority} />
            </dl>
            <h2>Content</h2>
            <pre className="content">{JSON.stringify(o.content, null, 2)}</pre>
          </>
        )}
      </Status>
      <h2>Versions</h2>
      <Status state={versions}>
        {({ versions: list }) => (
          <table>
            <caption className="visually-hidden">Versions</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Saved</th>
                <th scope="col">Name</th>
                <th scope="col">Definition</th>
              </tr>
            </thead>
            <tbody>
              {list.map((v) => (
                <tr key={v.version}>
                  <td>{v.version}</td>
                  <td>{when(v.createdAt)}</td>
                  <td>{String(v.definition.name)}</td>
                  <td>
                    <details>
                      <summary>Show</summary>
                      <pre className="content">{JSON.stringify(v.definition, null, 2)}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Status>
    </section>
  );
}

function Row({ label, value }: { label: string; value: unknown }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <Value value={value} />
      </dd>
    </div>
  );
}

function Meter({
  spent,
  total,
  label,
}: {
  spent: number;
  total: number | undefined;
  label: string;
}) {
  if (total === undefined || total <= 0) return null;
  return <meter min={0} max={total} value={Math.min(spent, total)} aria-label={label} />;
}
