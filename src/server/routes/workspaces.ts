import { z } from 'zod';
import { ensureDefaultTemplates } from '../../messaging/index.js';
import { ensureBuiltIns } from '../../segments/index.js';
import { ConflictError } from '../../shared/index.js';
import {
  createWorkspace,
  listWorkspaces,
  WorkspaceId,
  WorkspaceInfo,
  WorkspaceName,
} from '../../workspaces/index.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

const CreateWorkspace = z.object({
  /** Chosen by the caller, or generated (`ws-` and 12 hex digits). */
  id: WorkspaceId.optional(),
  name: WorkspaceName,
});
const CreatedWorkspace = WorkspaceInfo.extend({
  /** The workspace's first admin key: shown in this response only. */
  adminKey: z.string(),
  adminKeyId: z.string(),
});
const WorkspaceQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** The `nextCursor` of the page before. */
  cursor: WorkspaceId.optional(),
});
const WorkspacePage = z.object({
  workspaces: z.array(WorkspaceInfo),
  nextCursor: z.string().nullable(),
});

/**
 * Workspaces, managed with the platform key (RAPPORT_PLATFORM_KEY) only: no workspace's
 * key, admin included, may create or list them, and the platform key may do nothing else.
 */
export function workspaceRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/admin/workspaces',
      summary:
        'Create a workspace with its own secrets and first admin key (shown only in this response); platform key only',
      tag: 'platform',
      auth: 'platform',
      body: CreateWorkspace,
      responses: { 201: CreatedWorkspace, 409: z.unknown() },
      handler: async ({ body, reply }) => {
        const r = await createWorkspace(ctx.store, ctx.clock, body);
        if (r.kind === 'exists') {
          throw new ConflictError(
            `A workspace "${body.id ?? ''}" exists already (GET /v1/admin/workspaces lists them); choose another id.`,
          );
        }
        const { id } = r.workspace;
        await ensureBuiltIns(ctx.store.db, ctx.clock, id);
        await ensureDefaultTemplates(ctx.store.db, ctx.clock, id);
        reply.code(201);
        return { ...r.workspace, adminKey: r.adminKey.key, adminKeyId: r.adminKey.id };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/admin/workspaces',
      summary: 'Every workspace, a page at a time in id order; platform key only',
      tag: 'platform',
      auth: 'platform',
      query: WorkspaceQuery,
      responses: { 200: WorkspacePage },
      handler: ({ query }) => listWorkspaces(ctx.store.db, query),
    }),
  ];
}
