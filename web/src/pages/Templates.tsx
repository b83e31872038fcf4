import { api, enc } from '../api';
import { Link } from '../router';
import { Status, useLoad, when } from '../ui';

export type Channel = 'email' | 'push' | 'webhook';

/** A message template as the API stores it (LiquidJS sources per field). */
export interface Template {
  id: string;
  name: string;
  channel: Channel;
  topic?: string;
  transactional?: boolean;
  subject?: string;
  preheader?: string;
  html?: string;
  text?: string;
  pushTitle?: string;
  pushBody?: string;
  pushUrl?: string;
  pushIcon?: string;
  webhookBody?: string;
  nonPersonalized?: Record<string, string>;
  defaults?: Record<string, unknown>;
}

export interface StoredTemplate {
  template: Template;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Every message template; admins open one to edit it or start a new one. */
export function Templates({ canChange }: { canChange: boolean }) {
  const state = useLoad(
    () => api<{ templates: StoredTemplate[] }>('GET', '/v1/templates'),
    'templates',
  );
  return (
    <section>
      <h1>Templates</h1>
      {canChange ? (
        <p>
          <Link href="/templates/new">New template</Link>
        </p>
      ) : null}
      <Status state={state}>
        {({ templates }) =>
          templates.length === 0 ? (
            <p>No templates yet.</p>
          ) : (
            <table>
              <caption className="visually-hidden">Templates</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Id</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Topic</th>
                  <th scope="col" className="num">
                    Version
                  </th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {templates.map(({ template: t, version, updatedAt }) => (
                  <tr key={t.id}>
                    <td>
                      <Link href={`/templates/${enc(t.id)}`}>{t.name}</Link>
                    </td>
                    <td>
                      <code>{t.id}</code>
                    </td>
                    <td>{t.channel}</td>
                    <td>{t.transactional ? 'transactional' : (t.topic ?? '—')}</td>
                    <td className="num">{version}</td>
                    <td>{when(updatedAt)}</td>
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
