/** The API's error body: `{ "error": { "code", "message", "details" } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Each problem with the field it names (`definition.steps.2.next`), for forms. */
    readonly details: { path: string; problem: string }[] = [],
  ) {
    super(message);
  }
}

export interface Session {
  workspaceId: string;
  scope: 'admin' | 'read';
  expiresAt: string;
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();

/** Called when any request answers 401: the session expired or was revoked. */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/**
 * Calls the API with the session cookie. The browser sends `Origin` on every
 * non-GET request, which the server checks for requests signed in by cookie (CSRF).
 */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const error = (
      data as
        | {
            error?: {
              code?: string;
              message?: string;
              details?: { path: string; problem: string }[];
            };
          }
        | undefined
    )?.error;
    // The details name each field and its problem: the part a person can act on.
    const details = (error?.details ?? []).map((d) =>
      d.path ? `${d.path}: ${d.problem}` : d.problem,
    );
    if (res.status === 401 && !headers.authorization) signedOutListeners.forEach((l) => l());
    throw new ApiError(
      res.status,
      error?.code ?? 'http_error',
      [error?.message ?? `${method} ${path} answered ${res.status}.`, ...details].join(' '),
      error?.details ?? [],
    );
  }
  return data as T;
}

/** A query string from the defined values only. */
export function qs(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter(
    (e): e is [string, string | number] => e[1] !== undefined && e[1] !== '',
  );
  if (entries.length === 0) return '';
  return `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}

/** Path segments are user input (e-mail addresses, ids): always encoded. */
export const enc = encodeURIComponent;
