import { z } from 'zod';
import { recordAudit } from '../../audit/index.js';
import { ValidationError } from '../../shared/index.js';
import { closeSession, openSession, type Principal } from '../../workspaces/index.js';
import { presentedKey } from '../auth.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';
import { clearSessionCookie, sessionOf, setSessionCookie } from '../session.js';
import type { FastifyRequest } from 'fastify';

const SessionOut = z.object({
  workspaceId: z.string(),
  scope: z.enum(['admin', 'read']),
  /** When the session ends; null when the request was made with a key, not a session. */
  expiresAt: z.string().nullable(),
});

/** Only admin and read keys open sessions; the route's `read` auth refuses the others. */
const dashboardScope = (principal: Principal): 'admin' | 'read' =>
  principal.scope === 'admin' ? 'admin' : 'read';

export function sessionRoutes(ctx: AppContext): RouteDef[] {
  const audit = (principal: Principal, request: FastifyRequest, action: string, id: string) =>
    recordAudit(ctx.store.db, {
      workspaceId: principal.workspaceId,
      at: ctx.clock.now(),
      keyId: principal.keyId,
      action,
      target: { kind: 'session', id },
      after: action === 'session.create' ? { scope: principal.scope } : undefined,
      requestId: request.id,
      route: `${request.method} ${request.routeOptions.url ?? request.url}`,
    });
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/session',
      summary: 'Sign in to the dashboard: exchange an admin or read key for a session cookie',
      tag: 'session',
      auth: 'read',
      responses: { 201: SessionOut, 400: z.unknown() },
      handler: async ({ principal, request, reply }) => {
        const key = presentedKey(request);
        // A session is opened by a key only: a cookie cannot extend itself forever.
        if (key === null) {
          throw new ValidationError('Sign in with the key in `Authorization: Bearer <key>`.', [
            { path: 'headers.authorization', problem: 'is required to open a session' },
          ]);
        }
        const session = await openSession(ctx.store.db, ctx.clock, principal, key);
        await audit(principal, request, 'session.create', session.id);
        setSessionCookie(ctx, request, reply, session.token, session.expiresAt - ctx.clock.now());
        reply.code(201);
        return {
          workspaceId: principal.workspaceId,
          scope: dashboardScope(principal),
          expiresAt: new Date(session.expiresAt).toISOString(),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/session',
      summary: 'Who is signed in: workspace, scope and when the session ends',
      tag: 'session',
      auth: 'read',
      responses: { 200: SessionOut },
      handler: async ({ principal, request }) => {
        const session = sessionOf(request);
        return {
          workspaceId: principal.workspaceId,
          scope: dashboardScope(principal),
          expiresAt: session ? new Date(session.expiresAt).toISOString() : null,
        };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/session',
      summary: 'Sign out: end the session of the cookie and clear it',
      tag: 'session',
      auth: 'read',
      responses: { 204: z.unknown() },
      handler: async ({ principal, request, reply }) => {
        const session = sessionOf(request);
        if (
          session &&
          (await closeSession(ctx.store.db, ctx.clock, principal.workspaceId, session.id))
        ) {
          await audit(principal, request, 'session.delete', session.id);
        }
        clearSessionCookie(ctx, request, reply);
        reply.code(204);
        return null;
      },
    }),
  ];
}
