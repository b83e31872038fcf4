import { useEffect, useRef, useState, type SyntheticEvent } from 'react';
import { api, enc } from '../api';
import { NO_PROBLEMS, problemsAt, problemsOf, TextField, type Problems } from '../form';
import { ErrorBox, messageOf, Status, useLoad, when } from '../ui';

interface KeyInfo {
  id: string;
  scope: 'write' | 'read' | 'admin' | 'public';
  name: string | null;
  prefix: string;
  status: 'active' | 'expired' | 'revoked';
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

interface Created {
  id: string;
  key: string;
  scope: string;
  name: string | null;
}

/** A key just made: shown here once, as the API shows it once. */
function ShownOnce({ created, onDone }: { created: Created; onDone: () => void }) {
  return (
    <div className="shown-once" role="status">
      <p>
        <strong>
          New {created.scope} key{created.name ? ` "${created.name}"` : ''}:
        </strong>{' '}
        copy it now, it is not shown again.
      </p>
      <p>
        <code data-testid="new-key">{created.key}</code>
      </p>
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

/** The workspace's API keys: create (shown once), rotate, revoke after a confirmation. */
export function Keys() {
  const state = useLoad(() => api<{ keys: KeyInfo[] }>('GET', '/v1/admin/keys'), 'keys');
  const [created, setCreated] = useState<Created>();
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      {created ? <ShownOnce created={created} onDone={() => setCreated(undefined)} /> : null}
      <CreateKey
        onCreated={(c) => {
          setCreated(c);
          state.reload();
        }}
      />
      <Status state={state}>
        {({ keys }) => (
          <table>
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Begins with</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-key={k.id}>
                  <td>{k.name ?? <span className="muted">{k.id}</span>}</td>
                  <td>{k.scope}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td data-testid="key-status">{k.status}</td>
                  <td>{when(k.createdAt)}</td>
                  <td>{when(k.expiresAt)}</td>
                  <td>
                    {k.status === 'active' ? (
                      <KeyActions
                        info={k}
                        onRotated={(c) => {
                          setCreated(c);
                          state.reload();
                        }}
                        onRevoked={state.reload}
                      />
                    ) : null}
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

function CreateKey({ onCreated }: { onCreated: (c: Created) => void }) {
  const [scope, setScope] = useState('read');
  const [name, setName] = useState('');
  const [expiresIn, setExpiresIn] = useState('');
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const [busy, setBusy] = useState(false);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const body = {
        scope,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(expiresIn.trim() ? { expiresIn: expiresIn.trim() } : {}),
      };
      onCreated(await api<Created>('POST', '/v1/admin/keys', body));
      setName('');
      setExpiresIn('');
      setProblems(NO_PROBLEMS);
    } catch (err) {
      setProblems(problemsOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline" onSubmit={(e) => void submit(e)} aria-label="Create a key" noValidate>
      <label htmlFor="key-scope">Scope</label>
      <select id="key-scope" value={scope} onChange={(e) => setScope(e.target.value)}>
        <option value="read">read (dashboard, reports)</option>
        <option value="write">write (events from servers)</option>
        <option value="public">public (events from browsers)</option>
        <option value="admin">admin (everything)</option>
      </select>
      <TextField
        id="key-name"
        label="Name"
        value={name}
        onChange={setName}
        problems={problemsAt(problems, 'name')}
      />
      <TextField
        id="key-expires"
        label="Expires in (e.g. P90D; blank: never)"
        value={expiresIn}
        onChange={setExpiresIn}
        problems={problemsAt(problems, 'expiresIn')}
      />
      <button type="submit" disabled={busy}>
        Create key
      </button>
      {problems.message ? <ErrorBox message={problems.message} /> : null}
    </form>
  );
}

/** Rotate and revoke, each asking first: both change what clients holding the key can do. */
function KeyActions({
  info,
  onRotated,
  onRevoked,
}: {
  info: KeyInfo;
  onRotated: (c: Created) => void;
  onRevoked: () => void;
}) {
  const [asking, setAsking] = useState<'rotate' | 'revoke'>();
  const [error, setError] = useState<string>();
  const confirm = useRef<HTMLButtonElement>(null);
  // Keyboard users land on the question they just raised; Cancel is one Tab away.
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  const label = info.name ?? info.id;
  const act = async () => {
    setError(undefined);
    try {
      if (asking === 'rotate') {
        onRotated(await api<Created>('POST', `/v1/admin/keys/${enc(info.id)}/rotate`, {}));
      } else {
        await api('DELETE', `/v1/admin/keys/${enc(info.id)}`);
        onRevoked();
      }
      setAsking(undefined);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  if (asking) {
    return (
      <div className="confirm" role="group" aria-label={`Confirm: ${asking} ${label}`}>
        <p>
          {asking === 'revoke'
            ? `Revoke "${label}"? It stops working at once, in every process.`
            : `Rotate "${label}"? A new key replaces it; the old one works one more day.`}
        </p>
        <button type="button" ref={confirm} onClick={() => void act()}>
          Yes, {asking} {label}
        </button>{' '}
        <button type="button" className="secondary" onClick={() => setAsking(undefined)}>
          Cancel
        </button>
        {error ? <ErrorBox message={error} /> : null}
      </div>
    );
  }
  return (
    <span className="actions">
      <button type="button" onClick={() => setAsking('rotate')}>
        Rotate<span className="visually-hidden"> {label}</span>
      </button>
      <button type="button" className="danger" onClick={() => setAsking('revoke')}>
        Revoke<span className="visually-hidden"> {label}</span>
      </button>
    </span>
  );
}
