import { ApiError } from './api';
import { messageOf } from './ui';

/** What a failed save said: the problems of each field it named, and the whole message. */
export interface Problems {
  message: string;
  /** By the field path the API named (`email.from`, `delivery.caps.0.per`, `html`). */
  byPath: Record<string, string[]>;
}

export const NO_PROBLEMS: Problems = { message: '', byPath: {} };

/** Sorts an error's details by the field each names (API errors carry `{path, problem}`). */
export function problemsOf(error: unknown): Problems {
  const byPath: Record<string, string[]> = {};
  if (error instanceof ApiError) {
    for (const d of error.details) (byPath[d.path] ??= []).push(d.problem);
  }
  return { message: messageOf(error), byPath };
}

/** The problems of one field: its own path, and paths inside it (`quietHours` has `quietHours.end`). */
export function problemsAt(problems: Problems, path: string): string[] {
  return Object.entries(problems.byPath)
    .filter(([p]) => p === path || p.startsWith(`${path}.`))
    .flatMap(([, list]) => list);
}

/** Attributes that tie a field to the problem shown beside it, for screen readers. */
export function described(id: string, problems: string[]) {
  return problems.length > 0
    ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-problem` }
    : {};
}

/** The API's words about one field, beside it. */
export function FieldProblem({ id, problems }: { id: string; problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <span id={`${id}-problem`} className="field-problem" role="alert">
      {problems.join('; ')}
    </span>
  );
}

/** A labelled text input with its problems beside it. */
export function TextField({
  id,
  label,
  value,
  onChange,
  problems = [],
  disabled = false,
  type = 'text',
  placeholder,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  problems?: string[];
  disabled?: boolean;
  type?: 'text' | 'email' | 'number' | 'time';
  placeholder?: string;
  hint?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        disabled={disabled}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        {...described(id, problems)}
      />
      {hint ? <span className="muted hint">{hint}</span> : null}
      <FieldProblem id={id} problems={problems} />
    </div>
  );
}
