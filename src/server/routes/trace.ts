import { z } from 'zod';
import { exportPersonDecisions } from '../../decisions/index.js';
import { PersonTrace, personTrace, type TraceSource } from '../../measurement/index.js';
import { findProfileId, ProfileKind } from '../../profiles/index.js';
import { NotFoundError } from '../../shared/index.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

/** What a decide step puts in its decision's context (src/app/offer-provider.ts). */
const JourneyLink = z.object({ id: z.string(), run: z.string(), step: z.string() });

/** Each decision made for the person: the offer, the policy and its propensity, why. */
const decisionsTrace: TraceSource = async (db, workspaceId, profileId) => {
  const { decisions } = await exportPersonDecisions(db, workspaceId, profileId);
  return decisions.map((d) => {
    const offer = String(d.offer_id);
    const propensity = Number(d.propensity);
    const holdout = Number(d.holdout) === 1;
    const journey = JourneyLink.safeParse((d.context as { journey?: unknown } | null)?.journey);
    return {
      id: `decision:${String(d.id)}`,
      at: Number(d.created_at),
      kind: 'decision' as const,
      // A journey's decide step: the decision follows from the person's run.
      ...(journey.success
        ? {
            causeId: `run:${journey.data.run}`,
            refs: {
              journeyId: journey.data.id,
              runId: journey.data.run,
              stepId: journey.data.step,
            },
          }
        : {}),
      summary: holdout
        ? `In the holdout of placement "${String(d.placement_id)}": shown its default "${offer}".`
        : `Placement "${String(d.placement_id)}" chose offer "${offer}" by the ${String(d.policy_kind)} policy (version ${Number(d.policy_version)}), with probability ${propensity.toFixed(3)}.`,
      detail: {
        placement: d.placement_id,
        offer,
        offerVersion: d.offer_version,
        policy: d.policy_kind,
        policyVersion: d.policy_version,
        propensity,
        reasons: d.reasons,
        code: d.code,
        clickedAt: d.clicked_at,
        convertedAt: d.converted_at,
        reward: d.reward,
      },
    };
  });
};

/** Extra entries of the trace kept by other modules (any later one adds its source here). */
const TRACE_SOURCES: readonly TraceSource[] = [decisionsTrace];

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
        // What this process served and has not written yet belongs in the trace.
        await ctx.exposures.flush();
        const ws = principal.workspaceId;
        const id = await findProfileId(ctx.store.db, ws, params.kind, params.value);
        if (!id) throw new NotFoundError(`No profile with ${params.kind} "${params.value}".`);
        return personTrace(ctx.store.db, ws, id, TRACE_SOURCES);
      },
    }),
  ];
}
