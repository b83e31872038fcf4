import { z } from 'zod';
import {
  API_TRIGGER_EVENT,
  CreateJourney,
  createJourney,
  getJourney,
  JourneyList,
  JourneyOut,
  JourneyStats,
  journeyStats,
  listJourneys,
  listRecipes,
  runsOfProfile,
  setJourneyStatus,
  SimulateInput,
  simulateJourney,
  updateJourney,
} from '../../journeys/index.js';
import { syncJourneyExperiments } from '../../measurement/index.js';
import { listMessages, MessagePage, MessageQuery } from '../../messaging/index.js';
import { findProfileId, ProfileKind } from '../../profiles/index.js';
import { NotFoundError, ValidationError } from '../../shared/index.js';
import { audited, beforeOf } from '../audited.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';
import { assertJourneySensitive } from '../sensitive-guard.js';
import { assertEmailReady } from '../email-guard.js';

const IdParams = z.object({ id: z.string().min(1).max(200) });
const TriggerInput = z
  .object({
    userId: z.string().min(1).optional(),
    anonymousId: z.string().min(1).optional(),
    properties: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((b) => b.userId !== undefined || b.anonymousId !== undefined, {
    message: 'either userId or anonymousId is required',
    path: ['userId'],
  });

export function journeyRoutes(ctx: AppContext): RouteDef[] {
  const status = (url: string, to: 'active' | 'paused' | 'archived', summary: string) =>
    defineRoute({
      method: 'POST',
      url,
      summary,
      tag: 'journeys',
      auth: 'admin',
      params: IdParams,
      responses: { 200: JourneyOut, 404: z.unknown(), 409: z.unknown() },
      handler: async ({ params, principal, request }) => {
        const verb = { active: 'activate', paused: 'pause', archived: 'archive' }[to];
        const journey = await audited(
          ctx,
          principal,
          request,
          { action: `journey.${verb}`, kind: 'journey', id: params.id },
          async ({ db }) => {
            const before = await beforeOf(getJourney(db, principal.workspaceId, params.id));
            if (to === 'active' && 'definition' in before)
              await assertEmailReady(ctx, db, principal.workspaceId, before.definition);
            const after = await setJourneyStatus(
              db,
              ctx.clock,
              principal.workspaceId,
              params.id,
              to,
            );
            // Activating (re)states the holdout and split experiments: saved, not read.
            if (to === 'active')
              await syncJourneyExperiments(db, ctx.clock, principal.workspaceId, params.id);
            const was = 'status' in before ? { status: before.status } : before;
            return { result: after, before: was, after: { status: to } };
          },
        );
        if (to === 'active') await ctx.journeys.scheduleAll(principal.workspaceId);
        return journey;
      },
    });
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/journey-recipes',
      summary: 'Ready-made journeys and their parameters',
      tag: 'journeys',
      auth: 'read',
      handler: async () => ({ recipes: listRecipes() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/journeys',
      summary: 'Create a journey from a definition or a recipe',
      tag: 'journeys',
      auth: 'admin',
      body: CreateJourney,
      responses: { 201: JourneyOut },
      handler: async ({ body, principal, request, reply }) => {
        const journey = await audited(
          ctx,
          principal,
          request,
          { action: 'journey.create', kind: 'journey' },
          async ({ db }) => {
            const after = await createJourney(db, ctx.clock, principal.workspaceId, body);
            // Checked on the built definition (a recipe's too); a refusal rolls the save back.
            await assertJourneySensitive(db, principal.workspaceId, after.definition);
            if (after.status === 'active')
              await assertEmailReady(ctx, db, principal.workspaceId, after.definition);
            // Its holdout and split steps become experiments now, in the same transaction.
            await syncJourneyExperiments(db, ctx.clock, principal.workspaceId, after.id);
            return { result: after, targetId: after.id, after };
          },
        );
        if ((journey.definition as { trigger: { type: string } }).trigger.type === 'date') {
          await ctx.journeys.scheduleAll(principal.workspaceId);
        }
        reply.code(201);
        return journey;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/journeys',
      summary: 'All journeys',
      tag: 'journeys',
      auth: 'read',
      responses: { 200: JourneyList },
      handler: async ({ principal }) => ({
        journeys: await listJourneys(ctx.store.db, principal.workspaceId),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/journeys/:id',
      summary: 'One journey and its current definition',
      tag: 'journeys',
      auth: 'read',
      params: IdParams,
      responses: { 200: JourneyOut, 404: z.unknown() },
      handler: ({ params, principal }) =>
        getJourney(ctx.store.db, principal.workspaceId, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/journeys/:id',
      summary: 'Change a journey: a new version; running people finish on theirs',
      tag: 'journeys',
      auth: 'admin',
      params: IdParams,
      body: z.unknown(),
      responses: { 200: JourneyOut, 404: z.unknown() },
      handler: async ({ params, body, principal, request }) => {
        const journey = await audited(
          ctx,
          principal,
          request,
          { action: 'journey.update', kind: 'journey', id: params.id },
          async ({ db }) => {
            const before = await beforeOf(getJourney(db, principal.workspaceId, params.id));
            const after = await updateJourney(
              db,
              ctx.clock,
              principal.workspaceId,
              params.id,
              body,
            );
            await assertJourneySensitive(db, principal.workspaceId, after.definition);
            if (after.status === 'active')
              await assertEmailReady(ctx, db, principal.workspaceId, after.definition);
            await syncJourneyExperiments(db, ctx.clock, principal.workspaceId, params.id);
            const changed = !('version' in before) || after.version !== before.version;
            return { result: after, before, after, changed };
          },
        );
        await ctx.journeys.scheduleAll(principal.workspaceId);
        return journey;
      },
    }),
    status('/v1/journeys/:id/activate', 'active', 'Start taking entries'),
    status('/v1/journeys/:id/pause', 'paused', 'Stop entries and hold running people'),
    status('/v1/journeys/:id/archive', 'archived', 'Retire a journey; running people finish'),
    defineRoute({
      method: 'GET',
      url: '/v1/journeys/:id/stats',
      summary: 'Per step: entered, waiting, completed, exited, converted; holdout vs treated',
      tag: 'journeys',
      auth: 'read',
      params: IdParams,
      responses: { 200: JourneyStats, 404: z.unknown() },
      handler: ({ params, principal }) =>
        journeyStats(ctx.store.db, principal.workspaceId, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/journeys/:id/simulate',
      summary: 'Replay logged events through a journey or a draft, sending nothing',
      tag: 'journeys',
      auth: 'read',
      rateLimit: 'preview',
      params: IdParams,
      body: SimulateInput,
      handler: ({ params, body, principal }) =>
        simulateJourney(ctx.store.db, principal.workspaceId, params.id, body, ctx.clock.now()),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/journeys/:id/trigger',
      summary: 'Enter a person into an API-triggered journey',
      tag: 'journeys',
      auth: 'write',
      params: IdParams,
      body: TriggerInput,
      responses: { 202: z.object({ accepted: z.boolean(), messageId: z.string() }) },
      handler: async ({ params, body, principal, reply }) => {
        const journey = await getJourney(ctx.store.db, principal.workspaceId, params.id);
        if (journey.definition.trigger.type !== 'api') {
          throw new ValidationError(`Journey "${params.id}" is not API-triggered.`, [
            { path: 'params.id', problem: 'its trigger is not of type "api"' },
          ]);
        }
        const messageId = `api-trigger:${params.id}:${ctx.clock.now()}:${Math.random().toString(36).slice(2)}`;
        const event = {
          type: 'track',
          event: API_TRIGGER_EVENT,
          messageId,
          ...(body.userId ? { userId: body.userId } : {}),
          ...(body.anonymousId ? { anonymousId: body.anonymousId } : {}),
          properties: { ...body.properties, journey_id: params.id },
        };
        await ctx.ingest.ingestOne(principal.workspaceId, 'track', event, JSON.stringify(event));
        reply.code(202);
        return { accepted: true, messageId };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/profiles/:kind/:value/journeys',
      summary: 'Where this person is in each journey, and why',
      tag: 'journeys',
      auth: 'read',
      params: z.object({ kind: ProfileKind, value: z.string().min(1) }),
      handler: async ({ params, principal }) => {
        const id = await findProfileId(
          ctx.store.db,
          principal.workspaceId,
          params.kind,
          params.value,
        );
        if (!id) throw new NotFoundError(`No profile with ${params.kind} "${params.value}".`);
        return {
          profileId: id,
          runs: await runsOfProfile(ctx.store.db, principal.workspaceId, id),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/messages',
      summary: 'Messages with their status history, newest first',
      tag: 'messages',
      auth: 'read',
      query: MessageQuery,
      responses: { 200: MessagePage },
      handler: ({ query, principal }) => listMessages(ctx.store.db, principal.workspaceId, query),
    }),
  ];
}
