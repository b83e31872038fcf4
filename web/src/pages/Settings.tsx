import { useState } from 'react';
import { api } from '../api';
import { ErrorBox, messageOf, Status, useLoad } from '../ui';
import { Keys } from './Keys';
import { SettingsForm } from './SettingsForm';
import type { SettingsDoc } from './settings-doc';

interface EmailSetup {
  publicUrl: string;
  publicUrlFrom: 'config' | 'listening address';
  smtp: { host: string; port: number; secure: boolean; login: boolean } | null;
  missing: { path: string; problem: string }[];
}

/**
 * How this server sends e-mail (everyone), the workspace settings and the API keys
 * (admin sessions: the API shows them to admin keys only).
 */
export function Settings({ canChange }: { canChange: boolean }) {
  const setup = useLoad(
    () => api<EmailSetup>('GET', '/v1/admin/settings/email-setup'),
    'email-setup',
  );
  return (
    <section>
      <h1>Settings</h1>
      <h2>E-mail and public address</h2>
      <Status state={setup}>{(s) => <SetupPanel setup={s} canChange={canChange} />}</Status>
      {canChange ? (
        <AdminSettings onSaved={setup.reload} />
      ) : (
        <p className="muted" data-testid="read-only-settings">
          Read-only session: the workspace settings and API keys are shown to admin sessions only,
          and nothing here can be changed.
        </p>
      )}
    </section>
  );
}

function AdminSettings({ onSaved }: { onSaved: () => void }) {
  const doc = useLoad(() => api<SettingsDoc>('GET', '/v1/admin/settings'), 'settings');
  return (
    <>
      <h2>Workspace settings</h2>
      <Status state={doc}>{(d) => <SettingsForm initial={d} onSaved={onSaved} />}</Status>
      <Keys />
    </>
  );
}

/** Set by the environment, not here: shown with where each value comes from. */
function SetupPanel({ setup, canChange }: { setup: EmailSetup; canChange: boolean }) {
  const [result, setResult] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const test = async () => {
    setBusy(true);
    setResult(undefined);
    setError(undefined);
    try {
      const r = await api<{ ok: boolean; server: string; ms: number; error?: string }>(
        'POST',
        '/v1/admin/settings/smtp-test',
      );
      if (r.ok) setResult(`Connected to ${r.server}: it answered (${r.ms} ms).`);
      else setError(`Cannot use ${r.server}: ${r.error ?? 'unknown error'}`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const smtp = setup.smtp;
  return (
    <>
      <dl className="fields">
        <div>
          <dt>Public URL</dt>
          <dd>
            <code data-testid="public-url">{setup.publicUrl}</code>{' '}
            <span className="muted">
              {setup.publicUrlFrom === 'config'
                ? '(from RAPPORT_PUBLIC_URL; change it there)'
                : '(the listening address; set RAPPORT_PUBLIC_URL to where people reach this server)'}
            </span>
          </dd>
        </div>
        <div>
          <dt>SMTP server</dt>
          <dd data-testid="smtp-server">
            {smtp ? (
              <>
                {smtp.host}:{smtp.port} · {smtp.secure ? 'TLS' : 'STARTTLS when offered'} ·{' '}
                {smtp.login ? 'with a login' : 'no login'}{' '}
                <span className="muted">(from SMTP_URL)</span>
              </>
            ) : (
              'not set: start Rapport with SMTP_URL to send e-mail'
            )}
          </dd>
        </div>
      </dl>
      {setup.missing.length > 0 ? (
        <>
          <p>E-mail cannot go out yet:</p>
          <ul data-testid="email-missing">
            {setup.missing.map((m) => (
              <li key={m.path}>
                <code>{m.path}</code> {m.problem}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p data-testid="email-missing">E-mail can go out.</p>
      )}
      <p>
        <button type="button" disabled={!canChange || !smtp || busy} onClick={() => void test()}>
          Test the SMTP connection
        </button>{' '}
        <span role="status" data-testid="smtp-test-result">
          {busy ? 'Connecting…' : result}
        </span>
      </p>
      {error ? <ErrorBox message={error} /> : null}
    </>
  );
}
