import { useState, type SyntheticEvent } from 'react';
import { api } from '../api';
import { NO_PROBLEMS, problemsAt, problemsOf, TextField, type Problems } from '../form';
import { ErrorBox } from '../ui';
import { DeliveryFields } from './DeliveryFields';
import { CONSENT_CHANNELS, orEmpty, orNull, type Mode, type SettingsDoc } from './settings-doc';

/**
 * Sender, consent policy, frequency caps and quiet hours of the workspace settings
 * document. The whole document goes back with PUT (it replaces), so sections this form
 * does not show are sent as they were read.
 */
export function SettingsForm({
  initial,
  onSaved,
}: {
  initial: SettingsDoc;
  onSaved: (doc: SettingsDoc) => void;
}) {
  const [doc, setDoc] = useState(initial);
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const at = (path: string) => problemsAt(problems, path);
  const setEmail = (c: Partial<SettingsDoc['email']>) => {
    setDoc({ ...doc, email: { ...doc.email, ...c } });
    setNotice(undefined);
  };
  const setConsent = (c: Partial<SettingsDoc['consent']>) => {
    setDoc({ ...doc, consent: { ...doc.consent, ...c } });
    setNotice(undefined);
  };
  const save = async (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const saved = await api<SettingsDoc>('PUT', '/v1/admin/settings', doc);
      setDoc(saved);
      setProblems(NO_PROBLEMS);
      setNotice('Settings saved.');
      onSaved(saved);
    } catch (err) {
      setProblems(problemsOf(err));
      setNotice(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="settings" onSubmit={(e) => void save(e)} noValidate aria-label="Settings">
      <fieldset>
        <legend>Sender</legend>
        <TextField
          id="set-from"
          label="Sender address"
          type="email"
          value={orEmpty(doc.email.from)}
          onChange={(v) => setEmail({ from: orNull(v) })}
          problems={at('email.from')}
          hint="E-mail needs one."
        />
        <TextField
          id="set-from-name"
          label="Sender name"
          value={orEmpty(doc.email.fromName)}
          onChange={(v) => setEmail({ fromName: orNull(v) })}
          problems={at('email.fromName')}
        />
        <TextField
          id="set-reply-to"
          label="Reply-to address"
          type="email"
          value={orEmpty(doc.email.replyTo)}
          onChange={(v) => setEmail({ replyTo: orNull(v) })}
          problems={at('email.replyTo')}
        />
        <TextField
          id="set-unsub-mailto"
          label="Unsubscribe mailbox (mailto: List-Unsubscribe)"
          type="email"
          value={orEmpty(doc.email.unsubscribeMailto)}
          onChange={(v) => setEmail({ unsubscribeMailto: orNull(v) })}
          problems={at('email.unsubscribeMailto')}
        />
      </fieldset>
      <fieldset>
        <legend>Consent policy</legend>
        <p className="muted">
          Opt-in: only people who said yes get messages. Opt-out: everyone until they say no.
        </p>
        {CONSENT_CHANNELS.map((channel) => (
          <ModeSelect
            key={channel}
            id={`set-consent-${channel}`}
            label={`Channel: ${channel.replace('_', '-')}`}
            value={doc.consent.channels[channel] ?? 'opt_out'}
            onChange={(m) => setConsent({ channels: { ...doc.consent.channels, [channel]: m } })}
            problems={at(`consent.channels.${channel}`)}
          />
        ))}
        <ModeSelect
          id="set-consent-topics"
          label="Topics (unless listed otherwise)"
          value={doc.consent.topics}
          onChange={(m) => setConsent({ topics: m })}
          problems={at('consent.topics')}
        />
        <ModeSelect
          id="set-consent-personalization"
          label="Personalization"
          value={doc.consent.personalization}
          onChange={(m) => setConsent({ personalization: m })}
          problems={at('consent.personalization')}
        />
        <div className="field">
          <label htmlFor="set-consent-transactional">Transactional messages</label>
          <select
            id="set-consent-transactional"
            value={doc.consent.transactional}
            onChange={(e) =>
              setConsent({
                transactional: e.target.value as SettingsDoc['consent']['transactional'],
              })
            }
          >
            <option value="ignore_consent">sent whatever the consent</option>
            <option value="respect_channel_denial">
              not sent on a channel the person turned off
            </option>
          </select>
        </div>
      </fieldset>
      <DeliveryFields
        delivery={doc.delivery}
        onChange={(delivery) => {
          setDoc({ ...doc, delivery });
          setNotice(undefined);
        }}
        problems={problems}
      />
      {problems.message ? <ErrorBox message={problems.message} /> : null}
      <p>
        <button type="submit" disabled={busy}>
          Save settings
        </button>{' '}
        <span role="status">{notice}</span>
      </p>
    </form>
  );
}

function ModeSelect({
  id,
  label,
  value,
  onChange,
  problems,
}: {
  id: string;
  label: string;
  value: Mode;
  onChange: (m: Mode) => void;
  problems: string[];
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as Mode)}>
        <option value="opt_in">opt-in</option>
        <option value="opt_out">opt-out</option>
      </select>
      {problems.length > 0 ? (
        <span className="field-problem" role="alert">
          {problems.join('; ')}
        </span>
      ) : null}
    </div>
  );
}
