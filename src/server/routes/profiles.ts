import { z } from 'zod';
import {
  findProfileId,
  listProfiles,
  ProfileKind,
  ProfileList,
  ProfileListQuery,
  profileView,
  ProfileView,
  unmergeProfile,
} from '../../profiles/index.js';
import { segmentsOf } from '../../segments/index.js';
import { NotFoundError } from '../../shared/index.js';
import { audited } from '../audited.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

const ProfileParams = z.object({ kind: ProfileKind, value: z.string().min(1).max(1024) });
const UnmergeParams = z.object({ profileId: z.string().min(1).max(200) });
const UnmergeResult = z.object({
  profileId: z.string(),
  splitFrom: z.string(),
  identities: z.array(z.object({ kind: z.string(), value: z.string() })),
  eventsMoved: z.number().int(),
});
const ModelResult = z.object({ fittedAt: z.string(), customers: z.number().int() });

export function profileRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/profiles/:kind/:value',
      summary: 'One person: identities, traits, computed traits, segments and recent events',
      tag: 'profiles',
      auth: 'read',
      params: ProfileParams,
      responses: { 200: ProfileView, 404: z.unknown() },
      handler: async ({ params, principal }) => {
        const ws = principal.workspaceId;
        const id = await findProfileId(ctx.store.db, ws, params.kind, params.value);
        const view =
          id &&
          (await profileView(ctx.store.db, ws, id, await ctx.models.get(ws), ctx.clock.now(), {
            segments: await segmentsOf(ctx.store.db, ws, id),
          }));
        if (!view) throw new NotFoundError(`No profile with ${params.kind} "${params.value}".`);
        return view;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/profiles',
      summary: 'List profiles, or find them by any identifier prefix (q)',
      tag: 'profiles',
      auth: 'read',
      query: ProfileListQuery,
      responses: { 200: ProfileList },
      handler: ({ query, principal }) => listProfiles(ctx.store.db, principal.workspaceId, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/admin/profiles/:profileId/unmerge',
      summary: 'Split a merged profile back out, re-deriving both from their events',
      tag: 'profiles',
      auth: 'admin',
      params: UnmergeParams,
      responses: { 200: UnmergeResult, 404: z.unknown(), 409: z.unknown() },
      handler: ({ params, principal, request }) =>
        audited(
          ctx,
          principal,
          request,
          { action: 'profile.unmerge', kind: 'profile', id: params.profileId },
          async (store) => {
            const after = await unmergeProfile(
              store,
              ctx.clock,
              principal.workspaceId,
              params.profileId,
              ctx.profiles.stages,
            );
            return { result: after, before: { mergedInto: after.splitFrom }, after };
          },
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/admin/profiles/model/refresh',
      summary: 'Refit RFM boundaries, BG/NBD and Gamma-Gamma for the workspace now',
      tag: 'profiles',
      auth: 'admin',
      responses: { 200: ModelResult },
      handler: async ({ principal }) => {
        const model = await ctx.models.refresh(principal.workspaceId);
        return { fittedAt: new Date(model.fitted_at).toISOString(), customers: model.customers };
      },
    }),
  ];
}
