import { AuditPage, AuditQuery, listAudit } from '../../audit/index.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

/** The audit log, read-only: no route edits or deletes an entry (docs/audit.md). */
export function auditRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/admin/audit',
      summary:
        'Admin actions (keys, settings, segments, journeys, templates, consent, ...) with key, time and before/after; newest first',
      tag: 'admin',
      auth: 'admin',
      query: AuditQuery,
      responses: { 200: AuditPage },
      handler: ({ query, principal }) => listAudit(ctx.store.db, principal.workspaceId, query),
    }),
  ];
}
