import { createHmac, timingSafeEqual } from 'node:crypto';

/** Longer tokens are refused unread: no token we issue comes near this. */
export const MAX_TOKEN_LENGTH = 4096;
const MIN_SECRET_LENGTH = 16;

export type PayloadResult =
  { kind: 'ok'; payload: unknown } | { kind: 'refused'; reason: 'malformed' | 'bad_signature' };

function mac(domain: string, body: string, secret: string): Buffer {
  // The domain is part of the MAC so a token minted for one purpose (a click redirect)
  // never verifies as another (an unsubscribe link), even under the same secret.
  return createHmac('sha256', secret).update(`rapport.${domain}.v1\n${body}`).digest();
}

function checkSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new RangeError(`a token secret needs at least ${MIN_SECRET_LENGTH} characters`);
  }
}

/**
 * Signs a JSON payload: `base64url(json) "." base64url(HMAC-SHA256)`. Readable by anyone
 * (it is not encrypted), forgeable by no one without the secret.
 *
 * @example signPayload('unsubscribe', { p: 'prof_1' }, secret) // 'eyJwIjoicHJvZl8xIn0.3q2-…'
 */
export function signPayload(domain: string, payload: unknown, secret: string): string {
  checkSecret(secret);
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(domain, body, secret).toString('base64url')}`;
}

/**
 * Checks a token from {@link signPayload} against one secret or several (the current
 * one first, then retired ones during a rotation), in constant time per secret, and
 * returns its payload. Never throws on any input.
 */
export function verifyPayload(
  domain: string,
  token: string,
  secrets: string | readonly string[],
): PayloadResult {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  for (const s of list) checkSecret(s);
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
    return { kind: 'refused', reason: 'malformed' };
  }
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { kind: 'refused', reason: 'malformed' };
  const body = token.slice(0, dot);
  const sigText = token.slice(dot + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]{43}$/.test(sigText)) {
    return { kind: 'refused', reason: 'malformed' };
  }
  const signature = Buffer.from(sigText, 'base64url');
  // Re-encoding must give back the same text: base64url has several spellings of the
  // last character, and only the canonical one is accepted, so a token has one form.
  if (signature.length !== 32 || signature.toString('base64url') !== sigText) {
    return { kind: 'refused', reason: 'malformed' };
  }
  const valid = list.some((s) => timingSafeEqual(mac(domain, body, s), signature));
  if (!valid) return { kind: 'refused', reason: 'bad_signature' };
  try {
    return { kind: 'ok', payload: JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) };
  } catch {
    return { kind: 'refused', reason: 'malformed' };
  }
}

/**
 * A token's payload read WITHOUT checking its signature: only to learn whose secret to
 * check it with (the workspace or message it names), never to act on. Never throws:
 * `undefined` when the token does not even decode. Validate the result with a schema.
 */
export function peekPayload(token: string): unknown {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  try {
    return JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
