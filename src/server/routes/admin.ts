import { z } from 'zod';
import { listRejected, RejectedFilter, RejectedPage } from '../../ingest/index.js';
import { readSettings, WorkspaceSettings, writeSettings } from '../../messaging/index.js';
import {
  dropQuarantined,
  listQuarantined,
  QuarantineFilter,
  QuarantinePage,
  retryQuarantined,
} from '../../profiles/index.js';
import { NotFoundError, ValidationError } from '../../shared/index.js';
import { audited } from '../audited.js';
import type { AppContext } from '../context.js';
import { storedSensitiveUses } from '../sensitive-guard.js';
import { defineRoute, type RouteDef } from '../route.js';

const QuarantineParams = z.object({
  eventId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
const notQuarantined = (id: number) =>
  new NotFoundError(
    `No quarantined event ${id} in this workspace (GET /v1/admin/quarantine lists them).`,
  );

export function adminRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/admin/rejected',
      summary: 'Events refused by /v1/batch, with the reason and the payload as sent',
      tag: 'admin',
      auth: 'admin',
      query: RejectedFilter,
      responses: { 200: RejectedPage },
      handler: ({ query, principal }) => listRejected(ctx.store.db, principal.workspaceId, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/admin/quarantine',
      summary: 'Events the profile stage set aside after repeated failures, with the error',
      tag: 'admin',
      auth: 'admin',
      query: QuarantineFilter,
      responses: { 200: QuarantinePage },
      handler: ({ query, principal }) =>
        listQuarantined(ctx.store.db, principal.workspaceId, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/admin/quarantine/:eventId/retry',
      summary: 'Send a quarantined event through the profile stage again',
      tag: 'admin',
      auth: 'admin',
      params: QuarantineParams,
      responses: { 200: z.object({ retried: z.literal(true) }) },
      handler: async ({ params, principal, request }) => {
        const id = String(params.eventId);
        await audited(
          ctx,
          principal,
          request,
          { action: 'quarantine.retry', kind: 'event', id },
          async (store) => {
            if (!(await retryQuarantined(store, principal.workspaceId, params.eventId))) {
              throw notQuarantined(params.eventId);
            }
            return { result: null, before: { quarantined: true }, after: { quarantined: false } };
          },
        );
        ctx.wakePipeline();
        return { retried: true as const };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/admin/quarantine/:eventId',
      summary: 'Delete a quarantined event from the log for good',
      tag: 'admin',
      auth: 'admin',
      params: QuarantineParams,
      responses: { 200: z.object({ dropped: z.literal(true) }) },
      handler: async ({ params, principal, request }) => {
        const id = String(params.eventId);
        await audited(
          ctx,
          principal,
          request,
          { action: 'quarantine.drop', kind: 'event', id },
          async (store) => {
            if (!(await dropQuarantined(store, principal.workspaceId, params.eventId))) {
              throw notQuarantined(params.eventId);
            }
            return { result: null, before: { quarantined: true }, after: null };
          },
        );
        return { dropped: true as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/admin/settings',
      summary: 'Workspace settings (identity rules, ...)',
      tag: 'admin',
      auth: 'admin',
      responses: { 200: WorkspaceSettings },
      handler: ({ principal }) => readSettings(ctx.store.db, principal.workspaceId),
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/admin/settings',
      summary: 'Replace workspace settings; omitted sections take their defaults',
      tag: 'admin',
      auth: 'admin',
      body: WorkspaceSettings,
      responses: { 200: WorkspaceSettings },
      handler: ({ body, principal, request }) =>
        audited(
          ctx,
          principal,
          request,
          { action: 'settings.update', kind: 'settings', id: principal.workspaceId },
          async ({ db }) => {
            const before = await readSettings(db, principal.workspaceId);
            const broken = await storedSensitiveUses(db, principal.workspaceId, body.sensitive);
            if (broken.length > 0) {
              throw new ValidationError(
                'These sensitive settings would make stored segments, templates or journeys use sensitive attributes without an allowance: change those first, or add allowances with a reason (sensitive.allow).',
                broken,
              );
            }
            await writeSettings(db, ctx.clock, principal.workspaceId, body);
            return { result: body, before, after: body };
          },
        ),
    }),
  ];
}
