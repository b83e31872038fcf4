import { z } from 'zod';
import {
  CreateExperiment,
  createExperiment,
  experimentReport,
  exportPersonExperiments,
  ExperimentReport,
  experimentWithCounts,
  ExperimentList,
  programReport,
  maturityReport,
  MaturityReport,
  effectivenessReport,
  EffectivenessReport,
  ExperimentWithCounts,
  getExperiment,
  listExperiments,
  UpdateExperiment,
  updateExperiment,
} from '../../measurement/index.js';
import { readSettings } from '../../messaging/index.js';
import { findProfileId, ProfileKind } from '../../profiles/index.js';
import { NotFoundError } from '../../shared/index.js';
import { audited, beforeOf } from '../audited.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

const IdParams = z.object({ id: z.string().min(1).max(200) });
const PersonParams = z.object({ kind: ProfileKind, value: z.string().min(1).max(1024) });
const PersonExperiments = z.object({
  assignments: z.array(
    z.object({ experimentId: z.string(), arm: z.string(), assignedAt: z.string() }),
  ),
});

export function experimentRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/experiments',
      summary:
        'Experiments (journey holdouts, split steps, templates, placements, the global control group) with people per arm',
      tag: 'measurement',
      auth: 'read',
      responses: { 200: ExperimentList },
      handler: async ({ principal }) => ({
        experiments: await listExperiments(ctx.store.db, principal.workspaceId),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/experiments/:id',
      summary: 'One experiment with people per arm',
      tag: 'measurement',
      auth: 'read',
      params: IdParams,
      responses: { 200: ExperimentWithCounts, 404: z.unknown() },
      handler: async ({ params, principal }) =>
        experimentWithCounts(ctx.store.db, principal.workspaceId, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/experiments/:id/report',
      summary:
        'Per arm: people, conversions, rates, revenue per person; lift and difference with 95% intervals, p-value, CUPED, always-valid p-value, sample-ratio check',
      tag: 'measurement',
      auth: 'read',
      params: IdParams,
      responses: { 200: ExperimentReport, 404: z.unknown() },
      handler: async ({ params, principal }) =>
        experimentReport(ctx.store.db, principal.workspaceId, params.id, ctx.clock.now()),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/reports/program',
      summary:
        'The lift of the whole program: everyone outside the global control group against it',
      tag: 'measurement',
      auth: 'read',
      responses: { 200: ExperimentReport },
      handler: async ({ principal }) => {
        const settings = await readSettings(ctx.store.db, principal.workspaceId);
        return programReport(
          ctx.store.db,
          principal.workspaceId,
          settings.measurement.globalControlPercent,
          ctx.clock.now(),
        );
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/profiles/:kind/:value/experiments',
      summary: "One person's arms: each experiment they were exposed to, the arm and when",
      tag: 'measurement',
      auth: 'read',
      params: PersonParams,
      responses: { 200: PersonExperiments, 404: z.unknown() },
      handler: async ({ params, principal }) => {
        const ws = principal.workspaceId;
        const id = await findProfileId(ctx.store.db, ws, params.kind, params.value);
        if (!id) throw new NotFoundError(`No profile with ${params.kind} "${params.value}".`);
        return { assignments: await exportPersonExperiments(ctx.store.db, ws, id) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/reports/maturity',
      summary:
        'Personalization maturity (One>>All to One>>One) from the last 90 days of messages: level, evidence, next step',
      tag: 'measurement',
      auth: 'read',
      responses: { 200: MaturityReport },
      handler: async ({ principal }) =>
        maturityReport(ctx.store.db, principal.workspaceId, ctx.clock.now()),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/reports/effectiveness',
      summary:
        'Personalization effectiveness = relevance × timing × channel × data quality, overall and per journey',
      tag: 'measurement',
      auth: 'read',
      responses: { 200: EffectivenessReport },
      handler: async ({ principal }) =>
        effectivenessReport(ctx.store.db, ctx.models, principal.workspaceId, ctx.clock.now()),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/experiments',
      summary: 'Create a template or offer-placement experiment',
      tag: 'measurement',
      auth: 'admin',
      body: CreateExperiment,
      responses: { 201: ExperimentWithCounts, 409: z.unknown() },
      handler: async ({ body, principal, request, reply }) => {
        const created = await audited(
          ctx,
          principal,
          request,
          { action: 'experiment.create', kind: 'experiment' },
          async ({ db }) => {
            const after = await createExperiment(db, ctx.clock, principal.workspaceId, body);
            return { result: after, targetId: after.id, after };
          },
        );
        reply.code(201);
        return { ...created, people: Object.fromEntries(created.arms.map((a) => [a.name, 0])) };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/experiments/:id',
      summary: "Change an experiment's name, conversion event or attribution window",
      tag: 'measurement',
      auth: 'admin',
      params: IdParams,
      body: UpdateExperiment,
      responses: { 200: ExperimentWithCounts, 404: z.unknown() },
      handler: async ({ body, params, principal, request }) => {
        await audited(
          ctx,
          principal,
          request,
          { action: 'experiment.update', kind: 'experiment', id: params.id },
          async ({ db }) => {
            const before = await beforeOf(getExperiment(db, principal.workspaceId, params.id));
            const after = await updateExperiment(
              db,
              ctx.clock,
              principal.workspaceId,
              params.id,
              body,
            );
            return { result: after, before, after };
          },
        );
        return experimentWithCounts(ctx.store.db, principal.workspaceId, params.id);
      },
    }),
  ];
}
