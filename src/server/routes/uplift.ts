import { z } from 'zod';
import { getJourney } from '../../journeys/index.js';
import { UpliftStatus, upliftStatus } from '../../measurement/index.js';
import { audited } from '../audited.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

const IdParams = z.object({ id: z.string().min(1).max(200) });

/** A journey's uplift model: its status, and training it now. */
export function upliftRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/journeys/:id/uplift',
      summary:
        "The journey's uplift model: status, sample, held-out scores, and the computed trait (uplift.<id>) it feeds",
      tag: 'measurement',
      auth: 'read',
      params: IdParams,
      responses: { 200: UpliftStatus, 404: z.unknown() },
      handler: async ({ params, principal }) => {
        await getJourney(ctx.store.db, principal.workspaceId, params.id);
        return upliftStatus(ctx.store.db, principal.workspaceId, params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/journeys/:id/uplift/train',
      summary:
        "Train the journey's uplift model now on its treated and held-out people; segments reading its trait are repaired",
      tag: 'measurement',
      auth: 'admin',
      params: IdParams,
      responses: { 200: UpliftStatus, 404: z.unknown(), 409: z.unknown() },
      handler: async ({ params, principal, request }) => {
        const ws = principal.workspaceId;
        await getJourney(ctx.store.db, ws, params.id);
        const status = await ctx.trainUplift(ws, params.id);
        // Audited after the fact: training reads much and writes one row of aggregates.
        await audited(
          ctx,
          principal,
          request,
          { action: 'journey.uplift.train', kind: 'journey', id: params.id },
          async () => ({ result: null, after: { status: status.status, sample: status.sample } }),
        );
        return status;
      },
    }),
  ];
}
