import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature of every webhook Rapport sends. */
export const SIGNATURE_HEADER = 'Rapport-Signature';
/** Five minutes either way, as Stripe: room for clock skew, too little for a replay. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The `Rapport-Signature` header value for a body sent at `timestamp` (Unix seconds):
 * `t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`, the scheme Stripe uses.
 * Signing the timestamp with the body lets the receiver refuse replays of old requests.
 * With several secrets (during a rotation) the header carries one `v1` per secret, in
 * the order given, so a receiver holding either secret verifies it.
 *
 * @example signWebhook('whsec_…', 1767225600, '{"a":1}') // 't=1767225600,v1=5f0c…'
 * @example signWebhook(['whsec_new…', 'whsec_old…'], 1767225600, '{"a":1}') // 't=…,v1=…,v1=…'
 */
export function signWebhook(
  secrets: string | readonly string[],
  timestamp: number,
  body: string,
): string {
  if (!Number.isInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be whole Unix seconds (got ${timestamp})`);
  }
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0 || list.includes('')) {
    throw new RangeError('a webhook secret must not be empty');
  }
  return [`t=${timestamp}`, ...list.map((s) => `v1=${hmacHex(s, timestamp, body)}`)].join(',');
}

export type WebhookVerification =
  | { kind: 'ok'; timestamp: number }
  | { kind: 'refused'; reason: 'malformed' | 'expired' | 'mismatch' };

/**
 * Checks a `Rapport-Signature` header against the raw request body (the exact bytes
 * received, before any JSON parsing): the timestamp must be within `toleranceSeconds`
 * of `now` and one `v1` must match the HMAC under one of the secrets (several during a
 * rotation), compared in constant time.
 */
export function verifyWebhook(input: {
  header: string | null | undefined;
  body: string;
  secrets: string | readonly string[];
  /** Epoch milliseconds. */
  now: number;
  toleranceSeconds?: number;
}): WebhookVerification {
  const { header, body } = input;
  if (typeof header !== 'string' || header.length > 4096)
    return { kind: 'refused', reason: 'malformed' };
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return { kind: 'refused', reason: 'malformed' };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== undefined)
        return { kind: 'refused', reason: 'malformed' };
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return { kind: 'refused', reason: 'malformed' };
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (v0, future v2) are ignored, so receivers survive an upgrade.
  }
  if (timestamp === undefined || signatures.length === 0)
    return { kind: 'refused', reason: 'malformed' };
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(input.now / 1000 - timestamp) > tolerance)
    return { kind: 'refused', reason: 'expired' };
  const secrets = typeof input.secrets === 'string' ? [input.secrets] : input.secrets;
  const t = timestamp;
  const matches = secrets.some((secret) => {
    const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
    return signatures.some((s) => timingSafeEqual(s, expected));
  });
  return matches ? { kind: 'ok', timestamp } : { kind: 'refused', reason: 'mismatch' };
}
