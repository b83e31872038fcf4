import type { FastifyReply, FastifyRequest } from 'fastify';
import { fastifyCookie } from '@fastify/cookie';
import { ForbiddenError, UnauthorizedError } from '../shared/index.js';
import { resolveSession, type Principal } from '../workspaces/index.js';
import type { AppContext } from './context.js';

/** The dashboard's session cookie (docs/dashboard.md). */
export const SESSION_COOKIE = 'rapport_session';

/**
 * A companion cookie the page can read, holding no secret: it tells the dashboard that
 * a session may exist, so a signed-out visitor gets the sign-in form without a request
 * that would answer 401 (which browsers log as an error).
 */
export const SIGNED_IN_COOKIE = 'rapport_signed_in';

/** The session a request was signed in by, for `GET`/`DELETE /v1/session`. */
const sessions = new WeakMap<FastifyRequest, { id: string; expiresAt: number }>();

export function sessionOf(request: FastifyRequest): { id: string; expiresAt: number } | undefined {
  return sessions.get(request);
}

export function sessionToken(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  const token = fastifyCookie.parse(header)[SESSION_COOKIE];
  return token ? token : null;
}

/**
 * The principal of the request's session cookie. A request that changes anything (any
 * method but GET and HEAD) must come from this server's own pages: SameSite=Strict keeps
 * the cookie off cross-site requests in current browsers, and the `Origin` check refuses
 * the rest (older browsers, a sibling subdomain that is "same-site").
 */
export async function sessionPrincipal(
  ctx: AppContext,
  request: FastifyRequest,
  token: string,
): Promise<Principal> {
  const resolved = await resolveSession(ctx.store.db, ctx.clock, ctx.keys, token);
  if (resolved.kind === 'unknown') {
    throw new UnauthorizedError('Unknown session: sign in again (POST /v1/session).');
  }
  if (resolved.kind === 'ended') {
    throw new UnauthorizedError(`${resolved.why} Sign in again (POST /v1/session).`);
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') checkOrigin(ctx, request);
  sessions.set(request, { id: resolved.id, expiresAt: resolved.expiresAt });
  return resolved.principal;
}

function checkOrigin(ctx: AppContext, request: FastifyRequest): void {
  const origin = request.headers.origin;
  const own = ownOrigins(ctx, request);
  if (origin && own.includes(origin)) return;
  throw new ForbiddenError(
    origin
      ? `Refused a cross-site request: Origin ${origin} is not this server (${own.join(' or ')}). Requests signed in by the session cookie must come from the dashboard's own pages.`
      : 'Refused a request without an Origin header: requests signed in by the session cookie must come from the dashboard in a browser (which sends Origin); scripts send an API key instead.',
  );
}

/** This server as browsers name it: the Host it was reached at, and the public URL. */
function ownOrigins(ctx: AppContext, request: FastifyRequest): string[] {
  const own: string[] = [];
  if (request.headers.host) own.push(`${request.protocol}://${request.headers.host}`);
  try {
    own.push(new URL(ctx.publicUrl).origin);
  } catch {
    // No usable public URL (not listening yet): the Host header alone decides.
  }
  return own;
}

/** Whether cookies must be Secure: the request came over https, or the public URL is. */
function secure(ctx: AppContext, request: FastifyRequest): boolean {
  return request.protocol === 'https' || ctx.publicUrl.startsWith('https:');
}

export function setSessionCookie(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  maxAgeMs: number,
): void {
  const options = {
    sameSite: 'strict' as const,
    secure: secure(ctx, request),
    path: '/',
    maxAge: Math.floor(maxAgeMs / 1000),
  };
  reply.header('set-cookie', [
    fastifyCookie.serialize(SESSION_COOKIE, token, { ...options, httpOnly: true }),
    fastifyCookie.serialize(SIGNED_IN_COOKIE, '1', options),
  ]);
}

export function clearSessionCookie(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const options = {
    sameSite: 'strict' as const,
    secure: secure(ctx, request),
    path: '/',
    maxAge: 0,
  };
  reply.header('set-cookie', [
    fastifyCookie.serialize(SESSION_COOKIE, '', { ...options, httpOnly: true }),
    fastifyCookie.serialize(SIGNED_IN_COOKIE, '', options),
  ]);
}
