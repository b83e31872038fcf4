import { useState } from 'react';
import { api, enc } from '../api';
import { Link } from '../router';
import { ErrorBox, messageOf, Value, when } from '../ui';

export interface Message {
  id: string;
  profileId: string;
  journeyId: string | null;
  stepId: string | null;
  channel: string;
  kind: string;
  topic: string | null;
  status: string;
  reason: string | null;
  attempts: number;
  payload: {
    message?: { templateId?: string; content?: Record<string, unknown> };
    /** Where an e-mail went and what it said, as rendered at send time. */
    to?: string;
    rendered?: { subject?: string; text?: string; html?: string };
  };
  createdAt: string;
  sentAt: string | null;
  history: { status: string; at: string; detail: string | null }[];
}

/** Messages with their status history; an admin can render a message's template. */
export function MessageList({
  messages,
  canRender = false,
}: {
  messages: Message[];
  canRender?: boolean;
}) {
  if (messages.length === 0) return <p className="muted">No messages.</p>;
  return (
    <table className="messages">
      <caption className="visually-hidden">Messages</caption>
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">Channel</th>
          <th scope="col">Status</th>
          <th scope="col">Template</th>
          <th scope="col">Journey</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((m) => (
          <tr key={m.id}>
            <td>{when(m.createdAt)}</td>
            <td>{m.channel}</td>
            <td>
              <span className={`status status-${m.status}`}>{m.status}</span>
              {m.reason ? <div className="muted">{m.reason}</div> : null}
            </td>
            <td>
              <Value value={m.payload.message?.templateId ?? null} />
            </td>
            <td>
              {m.journeyId ? (
                <Link href={`/journeys/${enc(m.journeyId)}`}>
                  {m.journeyId}
                  {m.stepId ? ` · ${m.stepId}` : ''}
                </Link>
              ) : (
                '—'
              )}
            </td>
            <td>
              <details>
                <summary>History and content</summary>
                <p>
                  To <Link href={`/customers/profile_id/${enc(m.profileId)}`}>{m.profileId}</Link>,{' '}
                  {m.attempts} attempt(s), sent {when(m.sentAt)}
                </p>
                <ol>
                  {m.history.map((h, i) => (
                    <li key={i}>
                      {when(h.at)}: {h.status}
                      {h.detail ? ` (${h.detail})` : ''}
                    </li>
                  ))}
                </ol>
                {m.payload.rendered ? <SentContent message={m} /> : null}
                {m.payload.message?.content ? (
                  <pre className="content">
                    {JSON.stringify(m.payload.message.content, null, 2)}
                  </pre>
                ) : null}
                {canRender && m.payload.message?.templateId ? (
                  <Rendered templateId={m.payload.message.templateId} profileId={m.profileId} />
                ) : null}
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * An e-mail as it was sent: subject, recipient, text part, and the HTML part in a frame
 * that runs no script and loads nothing (its open pixel must not count the reader).
 */
function SentContent({ message }: { message: Message }) {
  const { to, rendered = {} } = message.payload;
  return (
    <div className="rendered" aria-label="Sent content">
      <p className="muted">
        As sent{to ? ` to ${to}` : ''}: <strong>{rendered.subject ?? '(no subject)'}</strong>
      </p>
      {rendered.html ? (
        <iframe
          title={`Message ${message.id}`}
          className="sent-html"
          sandbox=""
          srcDoc={`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">${rendered.html}`}
        />
      ) : null}
      {rendered.text ? <pre className="content">{rendered.text}</pre> : null}
    </div>
  );
}

/**
 * The message's template rendered now with the person's current data (a preview; what
 * was sent, when the log keeps it, is shown above it).
 */
function Rendered({ templateId, profileId }: { templateId: string; profileId: string }) {
  const [fields, setFields] = useState<Record<string, string>>();
  const [error, setError] = useState<string>();
  const render = async () => {
    try {
      const out = await api<{ fields: Record<string, string> }>(
        'POST',
        `/v1/templates/${enc(templateId)}/preview`,
        { kind: 'profile_id', value: profileId },
      );
      setFields(out.fields);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  if (error) return <ErrorBox message={error} />;
  if (!fields) {
    return (
      <button type="button" onClick={() => void render()}>
        Render content for this person
      </button>
    );
  }
  return (
    <div className="rendered">
      <p className="muted">Rendered now with this person's current data:</p>
      {Object.entries(fields).map(([name, text]) => (
        <div key={name}>
          <strong>{name}</strong>
          <pre className="content">{text}</pre>
        </div>
      ))}
    </div>
  );
}
