import { useState, type SyntheticEvent } from 'react';
import { api, enc } from '../api';
import { FieldProblem, NO_PROBLEMS, described, problemsAt, problemsOf, TextField } from '../form';
import { Link, navigate } from '../router';
import { ErrorBox, Status, useLoad } from '../ui';
import { TemplateTry } from './TemplateTry';
import type { Channel, StoredTemplate, Template } from './Templates';

type SourceField =
  | 'subject'
  | 'preheader'
  | 'html'
  | 'text'
  | 'pushTitle'
  | 'pushBody'
  | 'pushUrl'
  | 'pushIcon'
  | 'webhookBody';

/** The Liquid sources each channel's templates have (the API refuses the others). */
const SOURCES: Record<Channel, { field: SourceField; label: string; rows: number }[]> = {
  email: [
    { field: 'subject', label: 'Subject', rows: 2 },
    { field: 'preheader', label: 'Preheader (inbox preview line)', rows: 2 },
    { field: 'html', label: 'HTML', rows: 16 },
    { field: 'text', label: 'Text (derived from the HTML when empty)', rows: 8 },
  ],
  push: [
    { field: 'pushTitle', label: 'Push title', rows: 2 },
    { field: 'pushBody', label: 'Push body', rows: 4 },
    { field: 'pushUrl', label: 'Push URL', rows: 1 },
    { field: 'pushIcon', label: 'Push icon URL', rows: 1 },
  ],
  webhook: [{ field: 'webhookBody', label: 'Webhook body', rows: 12 }],
};
const ALL_SOURCES = Object.values(SOURCES)
  .flat()
  .map((s) => s.field);

interface Saved extends StoredTemplate {
  warnings: { path: string; problem: string }[];
}

/** The template as the API takes it: this channel's non-empty sources, parsed defaults. */
function bodyOf(draft: Template, defaults: Record<string, unknown>): Record<string, unknown> {
  const mine = new Set<string>(SOURCES[draft.channel].map((s) => s.field));
  return Object.fromEntries(
    Object.entries({ ...draft, defaults }).filter(([key, value]) => {
      if (key === 'topic') return value !== '' && value !== undefined;
      if (!(ALL_SOURCES as string[]).includes(key)) return true;
      return mine.has(key) && value !== '' && value !== undefined;
    }),
  );
}

/** Loads a template (or starts a blank one) and edits it. */
export function TemplateEditor({ id, canChange }: { id: string | null; canChange: boolean }) {
  const state = useLoad(
    () =>
      id === null ? Promise.resolve(null) : api<StoredTemplate>('GET', `/v1/templates/${enc(id)}`),
    id ?? '',
  );
  return (
    <section>
      <p>
        <Link href="/templates">← Templates</Link>
      </p>
      <Status state={state}>
        {(stored) => (
          // Keyed by what loaded: after "Create" navigates here, the blank form's data is
          // still shown until the saved template arrives, which must replace it whole.
          <Editor key={stored?.template.id ?? ''} stored={stored} canChange={canChange} />
        )}
      </Status>
    </section>
  );
}

/**
 * The Liquid sources of one template, each in a monospace text area, with its settings;
 * saving creates it (POST) or makes a new version (PUT). Problems the API names (a Liquid
 * error's line and column) show beside their field.
 */
function Editor({ stored, canChange }: { stored: StoredTemplate | null; canChange: boolean }) {
  const isNew = stored === null;
  const [draft, setDraft] = useState<Template>(
    stored?.template ?? { id: '', name: '', channel: 'email', subject: '', html: '' },
  );
  const [defaults, setDefaults] = useState(
    JSON.stringify(stored?.template.defaults ?? {}, null, 2),
  );
  const [version, setVersion] = useState(stored?.version);
  const [dirty, setDirty] = useState(false);
  const [problems, setProblems] = useState(NO_PROBLEMS);
  const [warnings, setWarnings] = useState<Saved['warnings']>([]);
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const change = (c: Partial<Template>) => {
    setDraft({ ...draft, ...c });
    setDirty(true);
    setNotice(undefined);
  };
  const at = (path: string) => problemsAt(problems, path);

  const save = async (e: SyntheticEvent) => {
    e.preventDefault();
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(defaults.trim() === '' ? '{}' : defaults) as Record<string, unknown>;
    } catch (err) {
      const problem = `is not JSON (${err instanceof Error ? err.message : String(err)})`;
      setProblems({ message: `Defaults ${problem}.`, byPath: { defaults: [problem] } });
      return;
    }
    setBusy(true);
    try {
      const body = bodyOf(draft, parsed);
      const out = isNew
        ? await api<Saved>('POST', '/v1/templates', body)
        : await api<Saved>('PUT', `/v1/templates/${enc(draft.id)}`, body);
      setProblems(NO_PROBLEMS);
      setWarnings(out.warnings);
      setVersion(out.version);
      setDirty(false);
      setNotice(`Saved version ${out.version}.`);
      if (isNew) navigate(`/templates/${enc(out.template.id)}`);
    } catch (err) {
      setProblems(problemsOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{isNew ? 'New template' : draft.name}</h1>
      {version !== undefined ? (
        <p className="muted" data-testid="template-version">
          Version {version}
          {dirty ? ' · unsaved changes' : ''}
        </p>
      ) : null}
      <form className="editor" onSubmit={(e) => void save(e)} aria-label="Template">
        <div className="editor-settings">
          <TextField
            id="tpl-id"
            label="Id"
            value={draft.id}
            disabled={!isNew || !canChange}
            onChange={(v) => change({ id: v })}
            problems={at('id')}
          />
          <TextField
            id="tpl-name"
            label="Name"
            value={draft.name}
            disabled={!canChange}
            onChange={(v) => change({ name: v })}
            problems={at('name')}
          />
          <div className="field">
            <label htmlFor="tpl-channel">Channel</label>
            <select
              id="tpl-channel"
              value={draft.channel}
              disabled={!isNew || !canChange}
              onChange={(e) => change({ channel: e.target.value as Channel })}
            >
              <option value="email">e-mail</option>
              <option value="push">web push</option>
              <option value="webhook">webhook</option>
            </select>
            <FieldProblem id="tpl-channel" problems={at('channel')} />
          </div>
          <TextField
            id="tpl-topic"
            label="Consent topic"
            value={draft.topic ?? ''}
            disabled={!canChange}
            placeholder="newsletter"
            onChange={(v) => change({ topic: v })}
            problems={at('topic')}
          />
          <div className="field">
            <label>
              <input
                type="checkbox"
                checked={draft.transactional ?? false}
                disabled={!canChange}
                onChange={(e) => change({ transactional: e.target.checked })}
              />{' '}
              Transactional (needs no marketing consent)
            </label>
          </div>
        </div>
        {SOURCES[draft.channel].map(({ field, label, rows }) => {
          const fieldId = `tpl-${field}`;
          const list = at(field);
          return (
            <div className="field" key={field}>
              <label htmlFor={fieldId}>{label}</label>
              <textarea
                id={fieldId}
                className="source"
                rows={rows}
                spellCheck={false}
                readOnly={!canChange}
                value={draft[field] ?? ''}
                onChange={(e) => change({ [field]: e.target.value })}
                {...described(fieldId, list)}
              />
              <FieldProblem id={fieldId} problems={list} />
            </div>
          );
        })}
        <div className="field">
          <label htmlFor="tpl-defaults">Defaults for missing variables (JSON)</label>
          <textarea
            id="tpl-defaults"
            className="source"
            rows={3}
            spellCheck={false}
            readOnly={!canChange}
            value={defaults}
            onChange={(e) => {
              setDefaults(e.target.value);
              setDirty(true);
            }}
            {...described('tpl-defaults', at('defaults'))}
          />
          <FieldProblem id="tpl-defaults" problems={at('defaults')} />
        </div>
        {problems.message ? <ErrorBox message={problems.message} /> : null}
        {warnings.length > 0 ? (
          <ul className="warnings" aria-label="Warnings">
            {warnings.map((w, i) => (
              <li key={i}>
                {w.path}: {w.problem}
              </li>
            ))}
          </ul>
        ) : null}
        <p>
          <button type="submit" disabled={!canChange || busy}>
            {isNew ? 'Create template' : 'Save template'}
          </button>{' '}
          {!canChange ? (
            <span className="muted">Read-only session: saving needs an admin key.</span>
          ) : null}
          <span role="status">{notice}</span>
        </p>
      </form>
      {isNew ? null : (
        <TemplateTry
          templateId={draft.id}
          channel={draft.channel}
          dirty={dirty}
          canChange={canChange}
        />
      )}
    </>
  );
}
