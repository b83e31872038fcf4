import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../shared/index.js';
import { identitySecrets, verifyIdentityToken, type Principal } from '../workspaces/index.js';
import type { AppContext } from './context.js';
import { PUBLIC_KEY_ROUTES_TEXT } from './auth.js';
import { isJsonBody } from './json-body.js';
import type { PublicClaim, RouteDef } from './route.js';

/** The header carrying the identity token a site's server signed for the browser. */
export const IDENTITY_HEADER = 'x-rapport-identity';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/**
 * What an ingest call from a browser speaks for. Identify traits `email` and `phone` are
 * identifiers that merge profiles: from a browser they would let anyone join their
 * profile to someone else's by typing that person's address, so they are refused (send
 * them from the site's server with a write key). An alias may only join the event's own
 * anonymousId (or the proven user id) to the proven user id.
 */
export function ingestClaim({ body }: { body: unknown }): PublicClaim {
  const value = isJsonBody(body) ? body.value : body;
  const events = isRecord(value) && Array.isArray(value.batch) ? value.batch : [value];
  const batch = isRecord(value) && Array.isArray(value.batch);
  const userIds: string[] = [];
  for (const [i, e] of events.entries()) {
    if (!isRecord(e)) continue;
    const at = (field: string) => (batch ? `batch.${i}.${field}` : field);
    const userId = str(e.userId);
    if (userId) userIds.push(userId);
    const context = isRecord(e.context) ? e.context : {};
    for (const [where, traits] of [
      ['traits', e.traits],
      ['context.traits', context.traits],
    ] as const) {
      if (!isRecord(traits)) continue;
      const field = ['email', 'phone'].find((f) => traits[f] !== undefined);
      if (field) {
        return {
          userIds,
          refusal: {
            path: at(`${where}.${field}`),
            problem: `a public key may not send ${field} (it would join profiles by it): identify ${field} from your server with a write key`,
          },
        };
      }
    }
    const previousId = str(e.previousId);
    if (previousId && previousId !== str(e.anonymousId) && previousId !== userId) {
      return {
        userIds,
        refusal: {
          path: at('previousId'),
          problem:
            'a public key may only alias its own anonymousId (send it as anonymousId too) to its own userId',
        },
      };
    }
  }
  return { userIds };
}

/**
 * Reads for one person by `userId` or `anonymousId` in the query (recommendations). A
 * `preview` leaves no exposure in the person's trace: the dashboard's, not a browser's.
 */
export function queryClaim({ query }: { query: unknown }): PublicClaim {
  const userId = isRecord(query) ? str(query.userId) : null;
  const userIds = userId ? [userId] : [];
  if (isRecord(query) && query.preview !== undefined)
    return {
      userIds,
      refusal: { path: 'preview', problem: 'a public key may not preview recommendations' },
    };
  return { userIds };
}

/**
 * Decides for one person by `userId` or `anonymousId` in the JSON body (decide). A
 * preview (`dryRun`) is for the dashboard: from a browser it would show offers without
 * their caps or budget ever counting them.
 */
export function bodyClaim({ body }: { body: unknown }): PublicClaim {
  const userId = isRecord(body) ? str(body.userId) : null;
  const userIds = userId ? [userId] : [];
  if (isRecord(body) && body.dryRun === true)
    return {
      userIds,
      refusal: { path: 'dryRun', problem: 'a public key may not preview decisions' },
    };
  return { userIds };
}

/**
 * Lets a public key through only on a route that accepts it, for user ids its identity
 * token proves; 403 saying what is missing otherwise. Anonymous ids are self-asserted:
 * anyone holding a visitor's anonymousId can act as that visitor, as with any cookie.
 */
export async function checkPublicCaller(
  ctx: AppContext,
  principal: Principal,
  def: RouteDef,
  request: FastifyRequest,
  input: { body: unknown; query: unknown },
): Promise<void> {
  if (principal.scope !== 'public') return;
  if (!def.publicKey) {
    throw new ForbiddenError(
      `A public key may not call ${def.method} ${def.url}. ${PUBLIC_KEY_ROUTES_TEXT} Use a server-side key for anything else.`,
    );
  }
  const claim = def.publicKey(input);
  if (claim.refusal) {
    throw new ForbiddenError(`Refused for a public key: ${claim.refusal.problem}.`, [
      claim.refusal,
    ]);
  }
  const ids = [...new Set(claim.userIds)];
  if (ids.length === 0) return;
  if (ids.length > 1) {
    throw new ForbiddenError(
      `A public key speaks for one person per request; this one names ${ids.length} user ids.`,
      [{ path: 'userId', problem: 'differs between events' }],
    );
  }
  const header = request.headers[IDENTITY_HEADER];
  const token = typeof header === 'string' ? header.trim() : '';
  const userId = ids[0]!;
  if (!token) {
    throw new ForbiddenError(
      `A public key needs an identity token to act as userId "${userId}": have your server sign one (docs/keys.md, Identity tokens) and send it in the X-Rapport-Identity header, or send only an anonymousId.`,
      [{ path: 'X-Rapport-Identity', problem: 'missing' }],
    );
  }
  const secrets = await identitySecrets(ctx.store.db, ctx.clock, principal.workspaceId);
  const check = verifyIdentityToken(secrets, token, userId, ctx.clock.now());
  if (check.kind !== 'ok') {
    throw new ForbiddenError(
      `The identity token does not prove userId "${userId}": it ${check.problem}.`,
      [{ path: 'X-Rapport-Identity', problem: check.problem }],
    );
  }
}
