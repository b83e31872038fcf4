import { z } from 'zod';
import { ConsentChannel, Topic } from '../consent/index.js';
import { signPayload, verifyPayload } from './signed-payload.js';

const DOMAIN = 'consent';

export const TokenPurpose = z.enum(['preferences', 'unsubscribe']);
export type TokenPurpose = z.infer<typeof TokenPurpose>;

/**
 * What a preference-center or unsubscribe link stands for. `exp` is epoch milliseconds.
 * An unsubscribe token may narrow itself to a channel and topic (the topic of the
 * message it came in); without them it unsubscribes from the channel of the message.
 */
export const ConsentTokenClaims = z.strictObject({
  workspaceId: z.string().min(1).max(200),
  profileId: z.string().min(1).max(200),
  purpose: TokenPurpose,
  exp: z.number().int().nonnegative(),
  channel: ConsentChannel.optional(),
  topic: Topic.optional(),
  messageId: z.string().min(1).max(200).optional(),
});
export type ConsentTokenClaims = z.infer<typeof ConsentTokenClaims>;

export type TokenResult<C> =
  | { kind: 'ok'; claims: C }
  | { kind: 'refused'; reason: 'malformed' | 'bad_signature' | 'wrong_purpose' }
  /** Authentic but past `exp`: the claims are given so the page can offer a fresh link. */
  | { kind: 'refused'; reason: 'expired'; claims: C };

/**
 * Signs a preference-center or one-click-unsubscribe token (HMAC-SHA256, base64url).
 *
 * @example
 * const token = signToken(
 *   { workspaceId: 'ws_1', profileId: 'prof_1', purpose: 'unsubscribe', exp: now + 90 * 86_400_000, channel: 'email' },
 *   process.env.TOKEN_SECRET,
 * );
 * const url = `https://rapport.example.com/unsubscribe/${token}`;
 */
export function signToken(claims: ConsentTokenClaims, secret: string): string {
  return signPayload(DOMAIN, ConsentTokenClaims.parse(claims), secret);
}

/**
 * Verifies a token from {@link signToken}: signature (constant time, against each of the
 * given secrets), shape, purpose (when `expect.purpose` is given) and expiry at
 * `expect.now`. Never throws on any token text.
 */
export function verifyToken(
  token: string,
  secrets: string | readonly string[],
  expect: { now: number; purpose?: TokenPurpose },
): TokenResult<ConsentTokenClaims> {
  const opened = verifyPayload(DOMAIN, token, secrets);
  if (opened.kind !== 'ok') return opened;
  const claims = ConsentTokenClaims.safeParse(opened.payload);
  if (!claims.success) return { kind: 'refused', reason: 'malformed' };
  if (expect.purpose !== undefined && claims.data.purpose !== expect.purpose) {
    return { kind: 'refused', reason: 'wrong_purpose' };
  }
  if (expect.now >= claims.data.exp)
    return { kind: 'refused', reason: 'expired', claims: claims.data };
  return { kind: 'ok', claims: claims.data };
}
