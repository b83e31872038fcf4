import { useState, type SyntheticEvent } from 'react';
import { api, enc } from '../api';
import { NO_PROBLEMS, problemsAt, problemsOf, TextField, type Problems } from '../form';
import { ErrorBox } from '../ui';
import type { Channel } from './Templates';

const KINDS = [
  ['email', 'e-mail'],
  ['user_id', 'user id'],
  ['profile_id', 'profile id'],
  ['phone', 'phone'],
  ['anonymous_id', 'anonymous id'],
] as const;

interface Preview {
  personalized: boolean;
  fields: Record<string, string>;
  warnings: { variable: string; didYouMean?: string }[];
}

interface TestSent {
  sent: boolean;
  to: string;
  subject: string;
  response?: string;
  error?: string;
}

/**
 * The saved template rendered as any person (nothing is sent), and for e-mail a test send
 * to one address. Admin only, as the API's preview and test send are.
 */
export function TemplateTry({
  templateId,
  channel,
  dirty,
  canChange,
}: {
  templateId: string;
  channel: Channel;
  dirty: boolean;
  canChange: boolean;
}) {
  const [kind, setKind] = useState<string>('email');
  const [value, setValue] = useState('');
  const [preview, setPreview] = useState<Preview>();
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const [busy, setBusy] = useState(false);
  const person = value.trim() === '' ? undefined : { kind, value: value.trim() };

  const render = async (e: SyntheticEvent) => {
    e.preventDefault();
    if (!person) {
      setProblems({ message: 'Name a person to preview as.', byPath: { value: ['is required'] } });
      return;
    }
    setBusy(true);
    try {
      setPreview(await api<Preview>('POST', `/v1/templates/${enc(templateId)}/preview`, person));
      setProblems(NO_PROBLEMS);
    } catch (err) {
      setPreview(undefined);
      setProblems(problemsOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2>Preview as a person</h2>
      {dirty ? (
        <p className="muted">You have unsaved changes: the preview shows the saved version.</p>
      ) : null}
      <form className="inline" onSubmit={(e) => void render(e)} aria-label="Preview">
        <label htmlFor="try-kind">Find the person by</label>
        <select id="try-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
          {KINDS.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
        <TextField
          id="try-value"
          label="Person"
          value={value}
          onChange={setValue}
          problems={problemsAt(problems, 'value')}
        />
        <button type="submit" disabled={!canChange || busy}>
          Preview
        </button>
        {!canChange ? <span className="muted">Previews need an admin session.</span> : null}
      </form>
      {problems.message ? <ErrorBox message={problems.message} /> : null}
      {preview ? <Rendered preview={preview} /> : null}
      {channel === 'email' ? (
        <TestSend templateId={templateId} person={person} canChange={canChange} />
      ) : null}
    </>
  );
}

/** The rendered fields; HTML in a sandboxed frame that may run no script and reach no origin. */
function Rendered({ preview }: { preview: Preview }) {
  const { subject, preheader, html, ...rest } = preview.fields;
  return (
    <div className="rendered" data-testid="preview">
      {!preview.personalized ? (
        <p className="muted">
          This person opted out of personalization: they get the non-personalized version.
        </p>
      ) : null}
      {subject !== undefined ? (
        <p>
          <strong>Subject:</strong> <span data-testid="preview-subject">{subject}</span>
        </p>
      ) : null}
      {preheader ? (
        <p>
          <strong>Preheader:</strong> {preheader}
        </p>
      ) : null}
      {html !== undefined ? (
        <iframe
          className="preview-frame"
          title="Rendered HTML"
          sandbox=""
          srcDoc={html}
          referrerPolicy="no-referrer"
        />
      ) : null}
      {Object.entries(rest).map(([name, text]) => (
        <div key={name}>
          <strong>{name}</strong>
          <pre className="content">{text}</pre>
        </div>
      ))}
      {preview.warnings.length > 0 ? (
        <>
          <h3>Warnings</h3>
          <ul className="warnings" data-testid="preview-warnings">
            {preview.warnings.map((w) => (
              <li key={w.variable}>
                <code>{w.variable}</code> is missing for this person
                {w.didYouMean ? (
                  <>
                    ; did you mean <code>{w.didYouMean}</code>?
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">No warnings.</p>
      )}
    </div>
  );
}

/** Sends the saved template, marked as a test, to the address typed here only. */
function TestSend({
  templateId,
  person,
  canChange,
}: {
  templateId: string;
  person: { kind: string; value: string } | undefined;
  canChange: boolean;
}) {
  const [to, setTo] = useState('');
  const [withPerson, setWithPerson] = useState(true);
  const [result, setResult] = useState<TestSent>();
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const [busy, setBusy] = useState(false);
  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setResult(undefined);
    try {
      const body = { to, ...(withPerson && person ? { person } : {}) };
      setResult(await api<TestSent>('POST', `/v1/templates/${enc(templateId)}/test-send`, body));
      setProblems(NO_PROBLEMS);
    } catch (err) {
      setProblems(problemsOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h2>Send a test</h2>
      <form className="inline" onSubmit={(e) => void submit(e)} aria-label="Send a test" noValidate>
        <TextField
          id="test-to"
          label="Send to (e-mail address)"
          type="email"
          value={to}
          onChange={setTo}
          problems={problemsAt(problems, 'to')}
        />
        <label>
          <input
            type="checkbox"
            checked={withPerson}
            onChange={(e) => setWithPerson(e.target.checked)}
          />{' '}
          with the data of the person above{person ? ` (${person.value})` : ''}
        </label>
        <button type="submit" disabled={!canChange || busy}>
          Send test
        </button>
      </form>
      {problems.message ? <ErrorBox message={problems.message} /> : null}
      <p role="status" data-testid="test-send-result">
        {result
          ? result.sent
            ? `Sent "${result.subject}" to ${result.to}: ${result.response ?? 'accepted'}`
            : `Not sent: ${result.error ?? 'the SMTP server refused it'}`
          : ''}
      </p>
    </>
  );
}
