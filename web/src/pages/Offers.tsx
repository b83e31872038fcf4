import { api, enc } from '../api';
import { Link } from '../router';
import { Status, useLoad } from '../ui';
import { budgetText, type Offer, type Placement } from './offer-types';

/** Every live offer with its budget, and every placement with its policy. */
export function Offers({ canChange }: { canChange: boolean }) {
  const offers = useLoad(() => api<{ offers: Offer[] }>('GET', '/v1/offers'), 'offers');
  const placements = useLoad(
    () => api<{ placements: Placement[] }>('GET', '/v1/placements'),
    'placements',
  );
  return (
    <section>
      <h1>Offers</h1>
      {canChange ? (
        <p>
          <Link href="/offers/new">New offer</Link>
        </p>
      ) : null}
      <Status state={offers}>
        {({ offers: list }) =>
          list.length === 0 ? (
            <p>No offers yet.</p>
          ) : (
            <table>
              <caption className="visually-hidden">Offers</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">
                    Version
                  </th>
                  <th scope="col" className="num">
                    Priority
                  </th>
                  <th scope="col">Decisions (budget)</th>
                  <th scope="col">Spend (budget)</th>
                </tr>
              </thead>
              <tbody>
                {list.map((o) => (
                  <tr key={o.id} data-offer={o.id}>
                    <td>
                      <Link href={`/offers/${enc(o.id)}`}>{o.name}</Link>
                      <div className="muted">{o.id}</div>
                    </td>
                    <td>{o.kind}</td>
                    <td className="num">{o.version}</td>
                    <td className="num">{o.priority}</td>
                    <td>{budgetText(o.spent.count, o.budget?.count)}</td>
                    <td>{budgetText(o.spent.amount, o.budget?.spend)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Status>
      <h2>Placements</h2>
      <Status state={placements}>
        {({ placements: list }) =>
          list.length === 0 ? (
            <p>No placements yet.</p>
          ) : (
            <table>
              <caption className="visually-hidden">Placements</caption>
              <thead>
                <tr>
                  <th scope="col">Placement</th>
                  <th scope="col">Policy</th>
                  <th scope="col">Candidates</th>
                  <th scope="col">Default</th>
                  <th scope="col" className="num">
                    Holdout
                  </th>
                  <th scope="col">Learns from</th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr key={p.name}>
                    <td>
                      <Link href={`/placements/${enc(p.name)}`}>{p.name}</Link>
                    </td>
                    <td>{p.policy.kind}</td>
                    <td>
                      {p.candidates.map((c) => (
                        <span key={c} className="chip">
                          {c}
                        </span>
                      ))}
                    </td>
                    <td>{p.default}</td>
                    <td className="num">{p.holdoutPercent}%</td>
                    <td>{p.reward}</td>
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
