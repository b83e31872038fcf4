import { useState, type SyntheticEvent } from 'react';
import { api, type Session } from '../api';
import { messageOf } from '../ui';

/**
 * Exchanges an admin or read key for a session cookie; the key itself is sent once,
 * in the Authorization header, and never stored by the page.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await api<Session>('POST', '/v1/session', undefined, {
        authorization: `Bearer ${key.trim()}`,
      });
      setKey('');
      onSignedIn(session);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="sign-in">
      <h1>Sign in to Rapport</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="key">API key (admin or read)</label>
        <input
          id="key"
          name="key"
          type="password"
          autoComplete="current-password"
          required
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-describedby={error ? 'sign-in-error' : 'key-help'}
        />
        <p id="key-help" className="muted">
          A read key shows everything and changes nothing. Create one with{' '}
          <code>rapport keys create --scope read</code>.
        </p>
        {error && (
          <p id="sign-in-error" role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || key.trim() === ''}>
          Sign in
        </button>
      </form>
    </main>
  );
}
