import { useEffect, useState } from 'react';
import { getAt, setAt, type Json, type Problem } from './journey-model';

export interface FieldSpec {
  path: (string | number)[];
  label: string;
  input: 'text' | 'number' | 'json' | 'select';
  options?: readonly string[];
}

const f = (
  path: string,
  label: string,
  input: FieldSpec['input'] = 'text',
  options?: readonly string[],
): FieldSpec => ({ path: path.split('.'), label, input, ...(options ? { options } : {}) });

/** The settings the side panel shows for each kind of step (docs/journeys.md). */
export const STEP_FIELDS: Record<string, FieldSpec[]> = {
  wait: [
    f('duration', 'Wait for (ISO duration, e.g. P1D)'),
    f('until', 'Until a local time (JSON, e.g. {"time": "09:00"})', 'json'),
    f('event', 'Until an event (JSON, e.g. {"event": "Order Completed"})', 'json'),
    f('timeout', 'Event wait timeout (ISO duration)'),
  ],
  send: [
    f('channel', 'Channel', 'select', ['email', 'webhook', 'push', 'preferred']),
    f('message.templateId', 'Template id'),
    f('message.content', 'Inline content instead of a template (JSON)', 'json'),
    f('topic', 'Consent topic'),
    f('priority', 'Priority', 'select', ['low', 'normal', 'high']),
    f('url', 'Webhook URL (webhook channel)'),
    f('fallback', 'Fallback channels (JSON list, channel "preferred")', 'json'),
    f('timing', 'Timing (JSON: bestHourWithin, quietHours)', 'json'),
  ],
  branch: [f('cases', 'Cases (JSON: name, condition, next)', 'json')],
  split: [f('arms', 'Arms (JSON: name, weight, next)', 'json')],
  update_profile: [
    f('set', 'Set traits (JSON object)', 'json'),
    f('unset', 'Unset traits (JSON list)', 'json'),
  ],
  webhook: [
    f('url', 'URL'),
    f('method', 'Method', 'select', ['POST', 'PUT', 'PATCH', 'GET', 'DELETE']),
    f('headers', 'Headers (JSON object)', 'json'),
    f('body', 'Body (JSON)', 'json'),
  ],
  decide: [f('placement', 'Placement'), f('context', 'Context (JSON object)', 'json')],
  exit: [f('reason', 'Exit reason')],
};

/** The journey's own settings, shown when no step is selected. */
export const JOURNEY_FIELDS: FieldSpec[] = [
  f('name', 'Journey name'),
  f('trigger', 'Trigger (JSON: event, segment, date, api, catalog)', 'json'),
  f('goal', 'Goal (JSON, e.g. {"event": "Order Completed"})', 'json'),
  f('exitOn', 'Exit on (JSON list of events)', 'json'),
  f('reentry', 'Re-entry (JSON: policy, after, scope)', 'json'),
  f('holdoutPercent', 'Holdout percent', 'number'),
  f('timezone', 'Time zone for people without one'),
];

export const fieldKey = (path: readonly (string | number)[]) => path.join('.');

/** Problems about this field or inside it (`cases.0.condition` belongs to `cases`). */
export const problemsOf = (problems: readonly Problem[], path: readonly (string | number)[]) => {
  const key = fieldKey(path);
  return problems.filter((p) => p.field === key || p.field.startsWith(`${key}.`));
};

/** One setting of a step or journey; text cleared removes the field, JSON applies once it parses. */
export function Field<T extends Json>({
  spec,
  value,
  onChange,
  problems,
  idPrefix,
  disabled,
}: {
  spec: FieldSpec;
  value: T;
  onChange: (next: T) => void;
  problems: readonly Problem[];
  idPrefix: string;
  disabled: boolean;
}) {
  const id = `${idPrefix}-${fieldKey(spec.path).replace(/\./g, '-')}`;
  const current = getAt(value, spec.path);
  const set = (to: Json | undefined) => onChange(setAt(value, spec.path, to));
  const mine = problemsOf(problems, spec.path);
  let input;
  if (spec.input === 'json') {
    input = <JsonInput id={id} value={current} onChange={set} disabled={disabled} />;
  } else if (spec.input === 'select') {
    input = (
      <select
        id={id}
        value={typeof current === 'string' ? current : ''}
        disabled={disabled}
        onChange={(e) => set(e.target.value === '' ? undefined : e.target.value)}
      >
        <option value="">(not set)</option>
        {spec.options?.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        id={id}
        type={spec.input}
        value={typeof current === 'string' || typeof current === 'number' ? String(current) : ''}
        disabled={disabled}
        aria-invalid={mine.length > 0 || undefined}
        onChange={(e) => {
          const text = e.target.value;
          if (text === '') set(undefined);
          else set(spec.input === 'number' ? Number(text) : text);
        }}
      />
    );
  }
  return (
    <div>
      <label htmlFor={id}>{spec.label}</label>
      {input}
      {mine.map((p) => (
        <p key={`${p.field}:${p.problem}`} className="field-error" role="alert">
          {p.field}: {p.problem}
        </p>
      ))}
    </div>
  );
}

function JsonInput({
  id,
  value,
  onChange,
  disabled,
}: {
  id: string;
  value: Json | undefined;
  onChange: (to: Json | undefined) => void;
  disabled: boolean;
}) {
  const shown = value === undefined ? '' : JSON.stringify(value, null, 2);
  const [text, setText] = useState(shown);
  const [bad, setBad] = useState(false);
  // The value can change from elsewhere (an edge drawn changes a case's next): follow it
  // unless what is typed already means the same.
  useEffect(() => {
    setText((t) => {
      try {
        if (t.trim() !== '' && JSON.stringify(JSON.parse(t)) === JSON.stringify(value)) return t;
      } catch {
        /* the text is being typed: replace it only when the value really changed */
      }
      return shown;
    });
  }, [shown]);
  return (
    <>
      <textarea
        id={id}
        rows={Math.min(8, Math.max(2, text.split('\n').length))}
        value={text}
        disabled={disabled}
        aria-invalid={bad || undefined}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (t.trim() === '') {
            setBad(false);
            onChange(undefined);
            return;
          }
          try {
            const parsed = JSON.parse(t) as Json;
            setBad(false);
            onChange(parsed);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad ? <p className="field-error">Not JSON yet: the last valid value is kept.</p> : null}
    </>
  );
}
