import { z } from 'zod';
import { ErasureJob } from '../../erasure/index.js';
import { ProfileKind } from '../../profiles/index.js';
import { NotFoundError } from '../../shared/index.js';
import { audited } from '../audited.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

const ProfileParams = z.object({ kind: ProfileKind, value: z.string().min(1).max(1024) });
const JobParams = z.object({ id: z.string().min(1).max(200) });
const ExportBundle = z
  .record(z.string(), z.unknown())
  .describe(
    'identities, profiles (facts), traits, computedTraits, events, rejectedEvents, quarantinedEvents, ' +
      'segmentMemberships, journeyRuns, messages (rendered content, history), consents, consentHistory, ' +
      'suppressions, pushSubscriptions, auditEntries (docs/privacy.md)',
  );
const notFound = (kind: string, value: string) =>
  new NotFoundError(`No profile with ${kind} "${value}".`);

/** Export and erasure of one person (docs/privacy.md). */
export function privacyRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/profiles/:kind/:value/export',
      summary: 'Everything held about one person, as one JSON bundle (GDPR art. 15 and 20)',
      tag: 'privacy',
      auth: 'read',
      params: ProfileParams,
      responses: { 200: ExportBundle, 404: z.unknown() },
      // It discloses a person's data: recorded like an admin action, without the data.
      handler: ({ params, principal, request }) =>
        audited(
          ctx,
          principal,
          request,
          { action: 'profile.export', kind: 'profile' },
          async ({ db }) => {
            const bundle = await ctx.exportPerson(
              db,
              principal.workspaceId,
              params.kind,
              params.value,
            );
            if (!bundle) throw notFound(params.kind, params.value);
            const ids = z.array(z.string()).parse(bundle.profileIds);
            return { result: bundle, targetId: ids[0]!, after: { exported: true } };
          },
        ),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/profiles/:kind/:value',
      summary: 'Erase a person from every table (GDPR art. 17): starts a job, 202 with its id',
      tag: 'privacy',
      auth: 'admin',
      params: ProfileParams,
      responses: { 202: ErasureJob, 404: z.unknown() },
      handler: async ({ params, principal, request, reply }) => {
        const job = await audited(
          ctx,
          principal,
          request,
          { action: 'profile.erase', kind: 'erasure' },
          async ({ db }) => {
            const { job, created } = await ctx.erasure.request(
              db,
              principal.workspaceId,
              params.kind,
              params.value,
            );
            // The entry names the job, never the person: it outlives them.
            return {
              result: job,
              targetId: job.id,
              after: { status: job.status },
              changed: created,
            };
          },
        );
        reply.code(202);
        return job;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/erasures/:id',
      summary: 'An erasure job: pending, running or done, with rows removed per table',
      tag: 'privacy',
      auth: 'admin',
      params: JobParams,
      responses: { 200: ErasureJob, 404: z.unknown() },
      handler: async ({ params, principal }) => {
        const job = await ctx.erasureStatus(principal.workspaceId, params.id);
        if (!job) throw new NotFoundError(`No erasure job "${params.id}".`);
        return job;
      },
    }),
  ];
}
