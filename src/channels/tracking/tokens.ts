import { z } from 'zod';
import { signPayload, verifyPayload, type TokenResult } from '../../privacy/index.js';

// Short keys: these tokens travel in every tracked link of every e-mail.
const ClickWire = z.strictObject({
  m: z.string().min(1).max(200),
  p: z.string().min(1).max(200),
  i: z.number().int().nonnegative(),
  u: z
    .string()
    .max(2000)
    .regex(/^https?:\/\//i, 'must be an http(s) URL'),
  e: z.number().int().nonnegative(),
  // The decisions whose offers the message showed: a click rewards them.
  d: z.array(z.string().min(1).max(100)).max(10).optional(),
});
const OpenWire = z.strictObject({
  m: z.string().min(1).max(200),
  p: z.string().min(1).max(200),
  e: z.number().int().nonnegative(),
});

/** What a click redirect stands for. `exp` is epoch milliseconds. */
export interface ClickClaims {
  messageId: string;
  profileId: string;
  /** Position of the link among the message's tracked links, from 0. */
  linkIndex: number;
  /** Where the redirect goes. */
  url: string;
  exp: number;
  /** Decision ids of the offers the message showed (`{% offer %}` blocks). */
  decisionIds?: readonly string[];
}

/** What an open pixel stands for. */
export interface OpenClaims {
  messageId: string;
  profileId: string;
  exp: number;
}

/**
 * Signs a click redirect token. The destination is inside the signed token, so the
 * redirect endpoint needs no lookup and cannot be used as an open redirect: only URLs we
 * signed are ever redirected to.
 *
 * @example
 * const t = signClickToken({ messageId: 'msg_1', profileId: 'prof_1', linkIndex: 0,
 *   url: 'https://shop.example.com/cart', exp: now + 180 * 86_400_000 }, secret);
 * const href = `https://rapport.example.com/c/${t}`;
 */
export function signClickToken(claims: ClickClaims, secret: string): string {
  const wire = ClickWire.parse({
    m: claims.messageId,
    p: claims.profileId,
    i: claims.linkIndex,
    u: claims.url,
    e: claims.exp,
    ...(claims.decisionIds?.length ? { d: claims.decisionIds } : {}),
  });
  return signPayload('click', wire, secret);
}

/**
 * Verifies a click token at `now`. An expired but authentic token comes back as
 * `{ kind: 'refused', reason: 'expired', claims }`: the endpoint should still redirect (the
 * person wants the page) and only skip recording the click.
 */
export function verifyClickToken(
  token: string,
  secrets: string | readonly string[],
  now: number,
): TokenResult<ClickClaims> {
  const opened = verifyPayload('click', token, secrets);
  if (opened.kind !== 'ok') return opened;
  const wire = ClickWire.safeParse(opened.payload);
  if (!wire.success) return { kind: 'refused', reason: 'malformed' };
  const claims: ClickClaims = {
    messageId: wire.data.m,
    profileId: wire.data.p,
    linkIndex: wire.data.i,
    url: wire.data.u,
    exp: wire.data.e,
    ...(wire.data.d ? { decisionIds: wire.data.d } : {}),
  };
  return now >= claims.exp
    ? { kind: 'refused', reason: 'expired', claims }
    : { kind: 'ok', claims };
}

/** Signs an open pixel token. */
export function signOpenToken(claims: OpenClaims, secret: string): string {
  const wire = OpenWire.parse({ m: claims.messageId, p: claims.profileId, e: claims.exp });
  return signPayload('open', wire, secret);
}

/** Verifies an open pixel token at `now`; the pixel is served whatever the answer. */
export function verifyOpenToken(
  token: string,
  secrets: string | readonly string[],
  now: number,
): TokenResult<OpenClaims> {
  const opened = verifyPayload('open', token, secrets);
  if (opened.kind !== 'ok') return opened;
  const wire = OpenWire.safeParse(opened.payload);
  if (!wire.success) return { kind: 'refused', reason: 'malformed' };
  const claims: OpenClaims = { messageId: wire.data.m, profileId: wire.data.p, exp: wire.data.e };
  return now >= claims.exp
    ? { kind: 'refused', reason: 'expired', claims }
    : { kind: 'ok', claims };
}
