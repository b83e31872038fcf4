import { z } from 'zod';
import {
  checkOffer,
  CodesInput,
  CodesResult,
  createOffer,
  createPlacement,
  CreateOffer,
  CreatePlacement,
  DecideInput,
  DecidePreview,
  DecideResult,
  deleteOffer,
  deletePlacement,
  freeCodes,
  getOffer,
  getPlacement,
  importCodes,
  listOffers,
  listPlacements,
  Offer,
  OfferCheck,
  OfferCheckInput,
  OfferInput,
  OfferList,
  offerVersions,
  OfferVersions,
  Placement,
  PlacementInput,
  PlacementList,
  placementStats,
  PlacementStats,
  updateOffer,
  updatePlacement,
} from '../../decisions/index.js';
import { audited, beforeOf } from '../audited.js';
import type { AppContext } from '../context.js';
import { bodyClaim } from '../public-key.js';
import { defineRoute, type RouteDef } from '../route.js';
import { assertOfferSensitive, assertPlacementSensitive } from '../sensitive-guard.js';

const IdParams = z.object({ id: z.string().min(1).max(200) });
const NameParams = z.object({ name: z.string().min(1).max(200) });

/** Offers and placements (admin, audited) and the decide call (read). */
export function decisionRoutes(ctx: AppContext): RouteDef[] {
  // This process's own changes show at once; other processes' within the snapshot check.
  const changed = (ws: string) => ctx.decisions.snapshots.invalidate(ws);
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/decide',
      summary:
        "Choose a placement's offer for a person (eligibility, caps, budgets, codes, policy); dryRun previews it without logging or spending anything",
      tag: 'decisions',
      auth: 'read',
      publicKey: bodyClaim,
      body: DecideInput,
      responses: { 200: z.union([DecideResult, DecidePreview]) },
      handler: async ({ body, principal }) => {
        const result = await ctx.decisions.decide({
          workspaceId: principal.workspaceId,
          placement: body.placement,
          userId: body.userId,
          anonymousId: body.anonymousId,
          context: body.context,
          channel: body.channel,
          dryRun: body.dryRun,
        });
        return body.dryRun ? { ...result, decisionId: null, dryRun: true } : result;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/offers',
      summary: 'Create an offer (version 1)',
      tag: 'decisions',
      auth: 'admin',
      body: CreateOffer,
      responses: { 201: Offer },
      handler: async ({ body, principal, request, reply }) => {
        const offer = await audited(
          ctx,
          principal,
          request,
          { action: 'offer.create', kind: 'offer' },
          async ({ db }) => {
            await assertOfferSensitive(db, principal.workspaceId, body.eligibility);
            const after = await createOffer(db, ctx.clock, principal.workspaceId, body);
            return { result: after, targetId: after.id, after };
          },
        );
        changed(principal.workspaceId);
        reply.code(201);
        return offer;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/offers/validate',
      summary:
        'What a create or change of an offer would be refused for, without saving (200 with the problems)',
      tag: 'decisions',
      auth: 'admin',
      body: OfferCheckInput,
      responses: { 200: OfferCheck, 404: z.unknown() },
      handler: ({ body, principal }) => checkOffer(ctx.store.db, principal.workspaceId, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/offers',
      summary: 'All live offers, each at its current version',
      tag: 'decisions',
      auth: 'read',
      responses: { 200: OfferList },
      handler: async ({ principal }) => ({
        offers: await listOffers(ctx.store.db, principal.workspaceId),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/offers/:id',
      summary: 'One offer, with its spent budget and free codes',
      tag: 'decisions',
      auth: 'read',
      params: IdParams,
      responses: { 200: Offer, 404: z.unknown() },
      handler: ({ params, principal }) => getOfferWithCodes(ctx, principal.workspaceId, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/offers/:id/versions',
      summary: 'What each version of an offer said, newest first (decisions name their version)',
      tag: 'decisions',
      auth: 'read',
      params: IdParams,
      responses: { 200: OfferVersions, 404: z.unknown() },
      handler: ({ params, principal }) =>
        offerVersions(ctx.store.db, principal.workspaceId, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/offers/:id',
      summary: 'Change an offer: a new version; decisions keep the version they showed',
      tag: 'decisions',
      auth: 'admin',
      params: IdParams,
      body: OfferInput,
      responses: { 200: Offer, 404: z.unknown() },
      handler: async ({ params, body, principal, request }) => {
        const offer = await audited(
          ctx,
          principal,
          request,
          { action: 'offer.update', kind: 'offer', id: params.id },
          async ({ db }) => {
            await assertOfferSensitive(db, principal.workspaceId, body.eligibility);
            const before = await beforeOf(getOffer(db, principal.workspaceId, params.id));
            const after = await updateOffer(db, ctx.clock, principal.workspaceId, params.id, body);
            return { result: after, before, after };
          },
        );
        changed(principal.workspaceId);
        return offer;
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/offers/:id',
      summary: 'Delete an offer no placement names',
      tag: 'decisions',
      auth: 'admin',
      params: IdParams,
      responses: { 204: z.null(), 404: z.unknown(), 409: z.unknown() },
      handler: async ({ params, principal, request, reply }) => {
        await audited(
          ctx,
          principal,
          request,
          { action: 'offer.delete', kind: 'offer', id: params.id },
          async ({ db }) => {
            const before = await beforeOf(getOffer(db, principal.workspaceId, params.id));
            await deleteOffer(db, ctx.clock, principal.workspaceId, params.id);
            return { result: null, before, after: null };
          },
        );
        changed(principal.workspaceId);
        reply.code(204);
        return null;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/offers/:id/codes',
      summary: "Import unique coupon codes into an offer's pool (duplicates are skipped)",
      tag: 'decisions',
      auth: 'admin',
      params: IdParams,
      body: CodesInput,
      responses: { 200: CodesResult, 404: z.unknown() },
      handler: ({ params, body, principal, request }) =>
        audited(
          ctx,
          principal,
          request,
          { action: 'offer.codes.import', kind: 'offer', id: params.id },
          async ({ db }) => {
            const result = await importCodes(
              db,
              principal.workspaceId,
              params.id,
              body.codes,
              ctx.clock.now(),
            );
            // The codes themselves are secrets of a kind: the entry keeps only the counts.
            return { result, after: result, changed: result.imported > 0 };
          },
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/placements',
      summary: 'Create a placement: candidate offers, a policy, a default and a holdout',
      tag: 'decisions',
      auth: 'admin',
      body: CreatePlacement,
      responses: { 201: Placement },
      handler: async ({ body, principal, request, reply }) => {
        const p = await audited(
          ctx,
          principal,
          request,
          { action: 'placement.create', kind: 'placement' },
          async ({ db }) => {
            await assertPlacementSensitive(db, principal.workspaceId, body.policy);
            const after = await createPlacement(db, ctx.clock, principal.workspaceId, body);
            return { result: after, targetId: after.name, after };
          },
        );
        changed(principal.workspaceId);
        reply.code(201);
        return p;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/placements',
      summary: 'All placements',
      tag: 'decisions',
      auth: 'read',
      responses: { 200: PlacementList },
      handler: async ({ principal }) => ({
        placements: await listPlacements(ctx.store.db, principal.workspaceId),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/placements/:name',
      summary: 'One placement',
      tag: 'decisions',
      auth: 'read',
      params: NameParams,
      responses: { 200: Placement, 404: z.unknown() },
      handler: ({ params, principal }) =>
        getPlacement(ctx.store.db, principal.workspaceId, params.name),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/placements/:name/stats',
      summary:
        "What a placement's policy has learned per offer, and the last 30 days' decisions, clicks, conversions and revenue per offer",
      tag: 'decisions',
      auth: 'read',
      params: NameParams,
      responses: { 200: PlacementStats, 404: z.unknown() },
      handler: ({ params, principal }) =>
        placementStats(ctx.store.db, ctx.clock, principal.workspaceId, params.name),
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/placements/:name',
      summary: 'Change a placement: a new version, whose policy learns afresh',
      tag: 'decisions',
      auth: 'admin',
      params: NameParams,
      body: PlacementInput,
      responses: { 200: Placement, 404: z.unknown() },
      handler: async ({ params, body, principal, request }) => {
        const p = await audited(
          ctx,
          principal,
          request,
          { action: 'placement.update', kind: 'placement', id: params.name },
          async ({ db }) => {
            await assertPlacementSensitive(db, principal.workspaceId, body.policy);
            const before = await beforeOf(getPlacement(db, principal.workspaceId, params.name));
            const after = await updatePlacement(
              db,
              ctx.clock,
              principal.workspaceId,
              params.name,
              body,
            );
            return { result: after, before, after };
          },
        );
        changed(principal.workspaceId);
        return p;
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/placements/:name',
      summary: 'Delete a placement; its decision log stays',
      tag: 'decisions',
      auth: 'admin',
      params: NameParams,
      responses: { 204: z.null(), 404: z.unknown() },
      handler: async ({ params, principal, request, reply }) => {
        await audited(
          ctx,
          principal,
          request,
          { action: 'placement.delete', kind: 'placement', id: params.name },
          async ({ db }) => {
            const before = await beforeOf(getPlacement(db, principal.workspaceId, params.name));
            await deletePlacement(db, ctx.clock, principal.workspaceId, params.name);
            return { result: null, before, after: null };
          },
        );
        changed(principal.workspaceId);
        reply.code(204);
        return null;
      },
    }),
  ];
}

async function getOfferWithCodes(ctx: AppContext, workspaceId: string, id: string) {
  const offer = await getOffer(ctx.store.db, workspaceId, id);
  return offer.codes
    ? { ...offer, codesFree: await freeCodes(ctx.store.db, workspaceId, id) }
    : offer;
}
