import { createHmac, timingSafeEqual } from 'node:crypto';

/** The longest a token may be valid for: a leaked one stops working within this. */
export const MAX_IDENTITY_TOKEN_MS = 30 * 86_400_000;

const mac = (secret: string, expSeconds: number, userId: string) =>
  createHmac('sha256', secret).update(`${expSeconds}.${userId}`).digest('base64url');

/**
 * An identity token: proof, made by the site's server with the workspace's identity secret,
 * that a browser speaks for `userId` until `expiresAt` (epoch ms, rounded down to the
 * second). `<exp>.<base64url HMAC-SHA256(secret, "<exp>.<userId>")>`: any language's HMAC
 * makes one (docs/keys.md shows how).
 *
 * @example signIdentityToken('idsec_…', 'u-42', Date.parse('2026-12-08T00:00:00Z'))
 * // '1796688000.Xq…'
 */
export function signIdentityToken(secret: string, userId: string, expiresAt: number): string {
  const exp = Math.floor(expiresAt / 1000);
  return `${exp}.${mac(secret, exp, userId)}`;
}

export type IdentityCheck = { kind: 'ok' } | { kind: 'invalid'; problem: string };

/**
 * Whether `token` proves `userId` at `now` under any of `secrets` (the current identity
 * secret, and a rotated-out one during its overlap).
 */
export function verifyIdentityToken(
  secrets: readonly string[],
  token: string,
  userId: string,
  now: number,
): IdentityCheck {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { kind: 'invalid', problem: 'is not an identity token ("<exp>.<signature>")' };
  const exp = Number(match[1]);
  if (exp * 1000 <= now) {
    return { kind: 'invalid', problem: `expired at ${new Date(exp * 1000).toISOString()}` };
  }
  if (exp * 1000 > now + MAX_IDENTITY_TOKEN_MS) {
    return { kind: 'invalid', problem: 'expires more than 30 days ahead: sign shorter tokens' };
  }
  const given = Buffer.from(match[2]!, 'base64url');
  for (const secret of secrets) {
    const expected = Buffer.from(mac(secret, exp, userId), 'base64url');
    if (expected.length === given.length && timingSafeEqual(expected, given)) return { kind: 'ok' };
  }
  return {
    kind: 'invalid',
    problem: `was not signed for userId "${userId}" with this workspace's identity secret`,
  };
}
