import { z } from 'zod';
import { PersonTrace, personTrace, type TraceSource } from '../../measurement/index.js';
import { findProfileId, ProfileKind } from '../../profiles/index.js';
import { NotFoundError } from '../../shared/index.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

/**
 * Extra entries of the trace kept by other modules. The decisions module adds its source
 * here (each decision with its policy and propensity), so does any later one.
 */
const TRACE_SOURCES: readonly TraceSource[] = [];

export function traceRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/profiles/:kind/:value/trace',
      summary: 'Why this, why now: what Rapport did to and for this person, cause to effect',
      tag: 'profiles',
      auth: 'read',
      params: z.object({ kind: ProfileKind, value: z.string().min(1).max(1024) }),
      responses: { 200: PersonTrace, 404: z.unknown() },
      handler: async ({ params, principal }) => {
        const ws = principal.workspaceId;
        const id = await findProfileId(ctx.store.db, ws, params.kind, params.value);
        if (!id) throw new NotFoundError(`No profile with ${params.kind} "${params.value}".`);
        return personTrace(ctx.store.db, ws, id, TRACE_SOURCES);
      },
    }),
  ];
}
