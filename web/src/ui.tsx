import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ApiError } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `key` changes; a stale answer never overwrites a newer one. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error: messageOf(error), loading: false }),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure on every render; `key` says when it means something new.
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** What a page shows while its data loads or when it failed. */
export function Status<T>({
  state,
  children,
}: {
  state: Loaded<T>;
  children: (data: T) => ReactNode;
}) {
  if (state.error) return <ErrorBox message={state.error} />;
  if (state.data === undefined) return <p aria-busy="true">Loading…</p>;
  return <>{children(state.data)}</>;
}

export function ErrorBox({ message }: { message: string }) {
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}

/** A value from JSON the API returned, readable without knowing its shape. */
export function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'number') return <>{formatNumber(value)}</>;
  if (typeof value === 'string' || typeof value === 'boolean') return <>{String(value)}</>;
  return <code className="json">{JSON.stringify(value)}</code>;
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en');
  return n.toLocaleString('en', { maximumSignificantDigits: 4 });
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC';
}

/** A definition list of an object's keys, sorted. */
export function Fields({ object, empty }: { object: Record<string, unknown>; empty: string }) {
  const keys = Object.keys(object).sort();
  if (keys.length === 0) return <p className="muted">{empty}</p>;
  return (
    <dl className="fields">
      {keys.map((k) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <Value value={asTime(k, object[k])} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Computed traits keep instants as epoch milliseconds (`first_seen`, `last_order_at`). */
function asTime(key: string, value: unknown): unknown {
  if (typeof value !== 'number' || !/(_at|_seen)$/.test(key)) return value;
  return when(new Date(value).toISOString());
}
