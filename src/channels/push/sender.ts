import webPush from 'web-push';
import type { Clock } from '../../shared/index.js';
import { describeFetchError, isTimeout, readSnippet } from '../http/index.js';
import { parseRetryAfter } from '../retry/index.js';
import type { PushSubscription } from './subscription.js';
import type { VapidConfig } from './vapid.js';

/**
 * The largest payload one aes128gcm record can carry: 4096 bytes less the 86-byte header
 * (salt, record size, key id), the 16-byte tag and the 1-byte padding delimiter (RFC 8291).
 */
export const MAX_PUSH_PAYLOAD_BYTES = 4096 - 86 - 16 - 1;

export interface PushOptions {
  /** How long the push service keeps an undelivered message, in seconds. Default 1 day. */
  ttlSeconds?: number;
  urgency?: 'very-low' | 'low' | 'normal' | 'high';
  /** Replaces an undelivered message with the same topic (≤ 32 base64url characters). */
  topic?: string;
  /** Default 10 s. */
  timeoutMs?: number;
}

export type PushResult =
  /** Accepted by the push service; `providerId` is its message URL when it gives one. */
  | { kind: 'sent'; status: number; providerId?: string }
  /** The subscription no longer exists (404/410): delete it. */
  | { kind: 'gone'; status: number; error: string }
  | { kind: 'retry'; error: string; status?: number; retryAfterMs?: number }
  | { kind: 'failed'; error: string; status?: number };

export interface PushSenderOptions {
  /** For Retry-After dates. */
  clock: Clock;
  fetch?: typeof fetch;
  /** Accept http:// endpoints. Only for tests and local push servers. */
  allowHttp?: boolean;
}

/**
 * Sends web push messages (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload
 * encryption (RFC 8291). `web-push` builds the request — the JWT, the encrypted body and
 * headers — and `fetch` carries it, so timeouts and network errors are handled as for
 * webhooks. Outcomes: `sent`; `gone` (404/410: the shell deletes the subscription);
 * `retry` (429, 5xx, timeout, network); `failed` (any other 4xx — 413 payload too large,
 * 401/403 a VAPID key mismatch — or a request that cannot be built).
 *
 * @example
 * const push = new PushSender({ clock: systemClock });
 * const r = await push.send(subscription, { title: 'Your cart', body: '2 items', url }, vapid);
 * if (r.kind === 'gone') await subscriptions.delete(subscription.endpoint);
 */
export class PushSender {
  private readonly clock: Clock;
  private readonly fetch: typeof fetch;
  private readonly allowHttp: boolean;

  constructor(options: PushSenderOptions) {
    this.clock = options.clock;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.allowHttp = options.allowHttp ?? false;
  }

  async send(
    subscription: PushSubscription,
    payload: string | Readonly<Record<string, unknown>>,
    vapid: VapidConfig,
    options: PushOptions = {},
  ): Promise<PushResult> {
    const protocol = /^([a-z]+):/i.exec(subscription.endpoint)?.[1]?.toLowerCase();
    if (protocol !== 'https' && !(this.allowHttp && protocol === 'http')) {
      return {
        kind: 'failed',
        error: `endpoint: must be an https:// URL (got ${subscription.endpoint.slice(0, 100)})`,
      };
    }
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_PUSH_PAYLOAD_BYTES) {
      return {
        kind: 'failed',
        error: `payload is ${bytes} bytes; web push carries at most ${MAX_PUSH_PAYLOAD_BYTES}`,
      };
    }
    if (options.topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(options.topic)) {
      return { kind: 'failed', error: 'topic: must be 1-32 base64url characters (RFC 8030)' };
    }

    let details: ReturnType<typeof webPush.generateRequestDetails>;
    try {
      details = webPush.generateRequestDetails(subscription, text, {
        vapidDetails: vapid,
        TTL: options.ttlSeconds ?? 86_400,
        urgency: options.urgency ?? 'normal',
        contentEncoding: 'aes128gcm',
        ...(options.topic === undefined ? {} : { topic: options.topic }),
      });
    } catch (error) {
      return {
        kind: 'failed',
        error: `cannot build the push request: ${error instanceof Error ? error.message : String(error)}`,
      };
    }

    const timeoutMs = options.timeoutMs ?? 10_000;
    let response: Response;
    let said: string;
    try {
      const headers = new Headers();
      // Typed as strings, but web-push puts numbers in TTL and Content-Length.
      for (const [name, value] of Object.entries(details.headers as Record<string, unknown>)) {
        headers.set(name, String(value));
      }
      response = await this.fetch(details.endpoint, {
        method: 'POST',
        headers,
        body: details.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      said = await readSnippet(response, 200);
    } catch (error) {
      if (isTimeout(error)) return { kind: 'retry', error: `timed out after ${timeoutMs} ms` };
      return { kind: 'retry', error: `network error: ${describeFetchError(error)}` };
    }

    const status = response.status;
    const error = `HTTP ${status}${said === '' ? '' : `: ${said}`}`;
    if (status >= 200 && status < 300) {
      const location = response.headers.get('location');
      return location ? { kind: 'sent', status, providerId: location } : { kind: 'sent', status };
    }
    if (status === 404 || status === 410) return { kind: 'gone', status, error };
    if (status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.clock.now());
      return {
        kind: 'retry',
        status,
        error,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }
    return { kind: 'failed', status, error };
  }
}
