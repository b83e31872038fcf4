import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../shared/index.js';
import {
  scopeAllows,
  type KeyResolution,
  type KeyResolver,
  type Caller,
  type KeyScope,
} from '../workspaces/index.js';

/**
 * Reads the API key from `Authorization: Bearer <key>` or HTTP Basic with the key as the
 * user name (Segment's write-key convention; the password is ignored).
 */
export function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const space = header.indexOf(' ');
  if (space < 0) return null;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value || null;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    return user || null;
  }
  return null;
}

/**
 * The principal of a presented key that works, or a 401 saying why not. `counted` runs
 * before the scope check, so requests refused with 403 spend the key's rate limit too.
 */
export async function authenticate(
  keys: KeyResolver,
  key: string | null,
  needed: KeyScope | 'platform',
  counted: (principal: Caller) => void = () => undefined,
  /** Whether the route lets a browser-safe public key in (for its own identity). */
  acceptsPublic = false,
): Promise<Caller> {
  if (!key) throw new UnauthorizedError();
  const resolved = await keys.resolve(key);
  if (resolved.kind !== 'ok') throw refused(resolved);
  const { principal } = resolved;
  counted(principal);
  return authorize(principal, needed, acceptsPublic);
}

/** Whether the holder of a working key, or of a session, may call a route needing `needed`. */
export function authorize(
  principal: Caller,
  needed: KeyScope | 'platform',
  acceptsPublic = false,
): Caller {
  // The platform key and workspace keys never stand in for one another: the platform key
  // belongs to no workspace, and no workspace key, admin included, manages workspaces.
  if (needed === 'platform') {
    if (principal.scope !== 'platform') {
      throw new ForbiddenError(
        `This endpoint needs the platform key (RAPPORT_PLATFORM_KEY); the key sent is a ${principal.scope} key of one workspace.`,
      );
    }
    return principal;
  }
  if (principal.scope === 'platform') {
    throw new ForbiddenError(
      `This endpoint needs a ${needed} key of a workspace; the platform key only creates and lists workspaces (/v1/admin/workspaces). Use the workspace's admin key.`,
    );
  }
  if (principal.scope === 'public') {
    if (acceptsPublic) return principal;
    throw new ForbiddenError(
      `A public key may not call this endpoint (it needs a ${needed} key). ${PUBLIC_KEY_ROUTES_TEXT} Use a server-side key for anything else.`,
    );
  }
  if (!scopeAllows(principal.scope, needed)) {
    throw new ForbiddenError(
      `This endpoint needs a ${needed} key; the key sent has the ${principal.scope} scope.`,
    );
  }
  return principal;
}

export const PUBLIC_KEY_ROUTES_TEXT =
  'A public key may only send events (POST /v1/track, identify, page, screen, group, alias, batch, ' +
  "and the Segment SDK paths /v1/t, p, i, s, g, a, b), load the SDK's settings (GET /v1/projects/{key}/settings), " +
  'read recommendations (GET /v1/recommendations) and call decide (POST /v1/decide), each for its own identity.';

const NEW_KEY =
  'Ask an admin of the workspace for a new key (POST /v1/admin/keys, or `rapport keys create`) and send that instead.';

function refused(resolved: Exclude<KeyResolution, { kind: 'ok' }>): UnauthorizedError {
  const at = (ms: number) => new Date(ms).toISOString();
  switch (resolved.kind) {
    case 'unknown':
      return new UnauthorizedError('Unknown API key.');
    case 'revoked':
      return new UnauthorizedError(`This API key was revoked at ${at(resolved.at)}. ${NEW_KEY}`);
    case 'expired':
      return new UnauthorizedError(`This API key expired at ${at(resolved.at)}. ${NEW_KEY}`);
  }
}
