import type { Clock } from '../../shared/index.js';
import { VERSION } from '../../shared/index.js';
import { describeFetchError, isTimeout, readSnippet } from '../http/index.js';
import { parseRetryAfter } from '../retry/index.js';
import { SIGNATURE_HEADER, signWebhook } from './signature.js';

export interface WebhookRequest {
  url: string;
  method?: 'POST' | 'PUT' | 'PATCH' | 'GET' | 'DELETE';
  headers?: Readonly<Record<string, string>>;
  /**
   * A string is sent as is; anything else as JSON. GET and DELETE send none (fetch
   * refuses a body on GET); their signature covers the empty body.
   */
  body: unknown;
  /**
   * Signs the body into `Rapport-Signature` when given: one `v1` value per secret (two
   * while a rotated-out secret still signs). Absent: the request is unsigned.
   */
  secret?: string | readonly string[] | undefined;
  /** Default 10 s, for the response headers and body together. */
  timeoutMs?: number;
  /**
   * The delivery's stable id (the outbox message id), sent as `Rapport-Delivery-Id` and
   * `Idempotency-Key` so the receiver can drop a retry it already processed.
   */
  deliveryId?: string;
}

export type WebhookResult =
  | { kind: 'sent'; status: number; responseBody: string }
  | { kind: 'retry'; error: string; status?: number; retryAfterMs?: number }
  | { kind: 'failed'; error: string; status?: number };

export interface WebhookSenderOptions {
  /** Stamps the signature's timestamp. */
  clock: Clock;
  /** The HTTP client; `fetch` (undici) by default. */
  fetch?: typeof fetch;
  userAgent?: string;
}

const MAX_RESPONSE_SNIPPET = 1024;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Headers the sender owns; a caller's value would break signing, framing or the body.
const OWNED = new Set([
  SIGNATURE_HEADER.toLowerCase(),
  'rapport-delivery-id',
  'idempotency-key',
  'content-length',
  'host',
  'transfer-encoding',
  'connection',
]);

/**
 * Delivers webhooks: one HTTP request per call, the outcome as a value. Timeouts,
 * network errors, 408, 429 and 5xx are `retry` (with the server's Retry-After when it
 * sends one); other 4xx, redirects (not followed: a signed body must not travel to
 * another host) and a bad request on our side are `failed`. The shell schedules retries
 * with `nextRetryAt` and dead-letters after the last.
 *
 * @example
 * const sender = new WebhookSender({ clock: systemClock });
 * const r = await sender.send({ url, body: { event: 'cart_reminder', items }, secret, deliveryId: msg.id });
 * if (r.kind === 'retry') scheduleAt(nextRetryAt(attempt, now, rng, { retryAfterMs: r.retryAfterMs }));
 */
export class WebhookSender {
  private readonly clock: Clock;
  private readonly fetch: typeof fetch;
  private readonly userAgent: string;

  constructor(options: WebhookSenderOptions) {
    this.clock = options.clock;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.userAgent = options.userAgent ?? `Rapport/${VERSION} (+webhooks)`;
  }

  async send(request: WebhookRequest): Promise<WebhookResult> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return { kind: 'failed', error: `url: not a valid URL (${request.url})` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { kind: 'failed', error: `url: must be http:// or https:// (got ${url.protocol})` };
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (!TOKEN.test(name))
        return { kind: 'failed', error: `headers: "${name}" is not a valid header name` };
      if (/[\r\n\0]/.test(value))
        return { kind: 'failed', error: `headers.${name}: must not contain line breaks` };
      if (OWNED.has(name.toLowerCase()))
        return { kind: 'failed', error: `headers.${name}: is set by the sender` };
      headers.set(name, value);
    }
    // fetch refuses URLs with credentials: send them as basic auth instead.
    if (url.username !== '' || url.password !== '') {
      const user = decodeURIComponent(url.username);
      const pass = decodeURIComponent(url.password);
      if (!headers.has('authorization')) {
        headers.set('authorization', `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`);
      }
      url.username = '';
      url.password = '';
    }
    const method = request.method ?? 'POST';
    const bodyless = method === 'GET' || method === 'DELETE';
    const body = bodyless
      ? ''
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body ?? null);
    if (!bodyless && !headers.has('content-type')) headers.set('content-type', 'application/json');
    if (!headers.has('user-agent')) headers.set('user-agent', this.userAgent);
    if (request.deliveryId !== undefined) {
      headers.set('rapport-delivery-id', request.deliveryId);
      headers.set('idempotency-key', request.deliveryId);
    }
    const now = this.clock.now();
    if (request.secret !== undefined) {
      headers.set(SIGNATURE_HEADER, signWebhook(request.secret, Math.floor(now / 1000), body));
    }

    const timeoutMs = request.timeoutMs ?? 10_000;
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, {
        method,
        headers,
        ...(bodyless ? {} : { body }),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await readSnippet(response, MAX_RESPONSE_SNIPPET);
    } catch (error) {
      if (isTimeout(error)) return { kind: 'retry', error: `timed out after ${timeoutMs} ms` };
      return { kind: 'retry', error: `network error: ${describeFetchError(error)}` };
    }

    const status = response.status;
    if (status >= 200 && status < 300) return { kind: 'sent', status, responseBody: text };
    const said = text === '' ? '' : `: ${text.slice(0, 200)}`;
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
      return {
        kind: 'retry',
        error: `HTTP ${status}${said}`,
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location') ?? 'nowhere';
      return {
        kind: 'failed',
        error: `HTTP ${status}: redirects are not followed (to ${location})`,
        status,
      };
    }
    return { kind: 'failed', error: `HTTP ${status}${said}`, status };
  }
}
