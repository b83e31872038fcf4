import { z } from 'zod';
import {
  listTemplates,
  loadConsents,
  recordConsent,
  requireTemplate,
  saveSubscription,
  saveTemplate,
  SubscriptionInput,
  assertTemplateSensitive,
} from '../../messaging/index.js';
import { changesFromUpdate, ConsentUpdate, Consents } from '../../privacy/index.js';
import { findProfileId, ProfileKind } from '../../profiles/index.js';
import { CorruptDataError, NotFoundError, ValidationError } from '../../shared/index.js';
import { workspaceSecrets } from '../../workspaces/index.js';
import { audited } from '../audited.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';
import { personId, renderForPerson } from '../template-render.js';

const IdParams = z.object({ id: z.string().min(1).max(200) });
const PersonParams = z.object({ kind: ProfileKind, value: z.string().min(1).max(1024) });
const StoredTemplate = z.object({
  template: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const SavedTemplate = StoredTemplate.extend({
  warnings: z
    .array(z.object({ path: z.string(), problem: z.string() }))
    .describe('saved anyway: links whose host comes from event data, and so on'),
});
const PreviewOutput = z.object({
  personalized: z.boolean(),
  fields: z.record(z.string(), z.string()),
  blocks: z.array(z.unknown()),
  /**
   * Variables the template reads that this person's data does not have (they render as
   * nothing), with the closest path that exists.
   */
  warnings: z.array(z.object({ variable: z.string(), didYouMean: z.string().optional() })),
});
const PreviewInput = z.object({
  kind: ProfileKind.default('user_id'),
  value: z.string().min(1),
  event: z.record(z.string(), z.unknown()).optional(),
  items: z.array(z.unknown()).optional(),
  /** The run's key, e.g. the cart id of a cart reminder (fills `links.cart`). */
  key: z.string().min(1).max(500).optional(),
});

/** The id of a saved template, for its audit entry. */
const templateId = (saved: { template: Record<string, unknown> }): string =>
  typeof saved.template.id === 'string' ? saved.template.id : '';

export function channelRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/templates',
      summary: 'Create a message template; Liquid errors are reported with line and column',
      tag: 'templates',
      auth: 'admin',
      body: z.unknown(),
      responses: { 201: SavedTemplate },
      handler: async ({ body, principal, request, reply }) => {
        const saved = await audited(
          ctx,
          principal,
          request,
          { action: 'template.create', kind: 'template' },
          async ({ db }) => {
            const after = await saveTemplate(db, ctx.clock, principal.workspaceId, body, {
              create: true,
            });
            return { result: after, targetId: templateId(after), after: after.template };
          },
        );
        reply.code(201);
        return saved;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/templates',
      summary: 'All message templates',
      tag: 'templates',
      auth: 'read',
      handler: async ({ principal }) => ({
        templates: await listTemplates(ctx.store.db, principal.workspaceId),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/templates/:id',
      summary: 'One message template',
      tag: 'templates',
      auth: 'read',
      params: IdParams,
      responses: { 200: StoredTemplate, 404: z.unknown() },
      handler: ({ params, principal }) =>
        requireTemplate(ctx.store.db, principal.workspaceId, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/templates/:id',
      summary: 'Change a message template',
      tag: 'templates',
      auth: 'admin',
      params: IdParams,
      body: z.unknown(),
      responses: { 200: SavedTemplate, 404: z.unknown() },
      handler: ({ params, body, principal, request }) =>
        audited(
          ctx,
          principal,
          request,
          { action: 'template.update', kind: 'template', id: params.id },
          async ({ db }) => {
            // A template that does not exist is saveTemplate's 404 to give.
            const before = await requireTemplate(db, principal.workspaceId, params.id).catch(
              (e: unknown) => {
                if (e instanceof NotFoundError) return null;
                throw e;
              },
            );
            const after = await saveTemplate(db, ctx.clock, principal.workspaceId, body, {
              id: params.id,
            });
            return { result: after, before: before?.template ?? null, after: after.template };
          },
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/templates/:id/preview',
      summary: "Render a template with any person's data (nothing is sent); limits answer 422",
      tag: 'templates',
      // Admin, as saving a template is: each preview may spend a render's full time
      // limit on a thread, which a widely shared read key should not be able to buy.
      auth: 'admin',
      rateLimit: 'preview',
      params: IdParams,
      body: PreviewInput,
      responses: { 200: PreviewOutput, 404: z.unknown(), 422: z.unknown() },
      handler: async ({ params, body, principal }) => {
        const ws = principal.workspaceId;
        const stored = await requireTemplate(ctx.store.db, ws, params.id);
        await assertTemplateSensitive(ctx.store.db, ws, stored.template);
        const id = await personId(ctx.store.db, ws, body.kind, body.value);
        return renderForPerson(ctx, ws, stored.template, id, body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/profiles/:kind/:value/consent',
      summary: "A person's consent per channel and topic, and for personalization",
      tag: 'consent',
      auth: 'read',
      params: PersonParams,
      responses: { 200: Consents },
      handler: async ({ params, principal }) =>
        loadConsents(
          ctx.store.db,
          principal.workspaceId,
          await personId(ctx.store.db, principal.workspaceId, params.kind, params.value),
        ),
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/profiles/:kind/:value/consent',
      summary:
        'Record consent: true/false or granted/denied/unknown per channel, topic, personalization. With a write key a "yes" cannot undo an unsubscribe; with an admin key it can.',
      tag: 'consent',
      auth: 'write',
      params: PersonParams,
      body: ConsentUpdate,
      responses: { 200: Consents },
      handler: ({ params, body, principal, request }) =>
        // Recorded whatever the key's scope: consent is the person's word, and who
        // relayed it matters.
        audited(
          ctx,
          principal,
          request,
          { action: 'consent.update', kind: 'profile' },
          async ({ db }) => {
            const ws = principal.workspaceId;
            const id = await personId(db, ws, params.kind, params.value);
            const now = ctx.clock.now();
            // A write key ships in every browser: what it says is weak, and its "yes"
            // cannot undo an unsubscribe. An admin key speaks with the person's own weight.
            const source = principal.scope === 'admin' ? 'admin' : 'api';
            const before = await loadConsents(db, ws, id);
            const after = await recordConsent(
              db,
              ws,
              id,
              changesFromUpdate(body, source, now),
              now,
            );
            return { result: after, targetId: id, before, after };
          },
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/push/subscriptions',
      summary: "Store a browser's push subscription for a person",
      tag: 'push',
      auth: 'write',
      body: z
        .object({
          userId: z.string().min(1).optional(),
          anonymousId: z.string().min(1).optional(),
          subscription: SubscriptionInput,
        })
        .refine((b) => b.userId !== undefined || b.anonymousId !== undefined, {
          message: 'either userId or anonymousId is required',
          path: ['userId'],
        }),
      responses: { 201: z.object({ id: z.string(), profileId: z.string() }) },
      handler: async ({ body, principal, reply }) => {
        const ws = principal.workspaceId;
        const kind = body.userId ? 'user_id' : 'anonymous_id';
        const value = (body.userId ?? body.anonymousId)!;
        let id = await findProfileId(ctx.store.db, ws, kind, value);
        if (!id) {
          // Unknown yet: record who they are through the pipeline, then attach.
          const event = {
            type: 'identify',
            ...(body.userId ? { userId: body.userId } : { anonymousId: body.anonymousId }),
            messageId: `push-subscribe:${body.subscription.endpoint}`,
          };
          await ctx.ingest.ingestOne(ws, 'identify', event, JSON.stringify(event));
          await ctx.profiles.drain();
          id = await findProfileId(ctx.store.db, ws, kind, value);
        }
        if (!id)
          throw new ValidationError('Could not resolve the person.', [
            { path: 'userId', problem: 'blocked or invalid identifier' },
          ]);
        reply.code(201);
        return {
          id: await saveSubscription(ctx.store.db, ws, id, body.subscription, ctx.clock.now()),
          profileId: id,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/push/vapid-public-key',
      summary: "The workspace's VAPID public key, for PushManager.subscribe",
      tag: 'push',
      auth: 'write',
      handler: async ({ principal }) => {
        const { vapid } = await workspaceSecrets(ctx.store.db, ctx.clock, principal.workspaceId);
        if (vapid.kind === 'corrupt')
          throw new CorruptDataError("The workspace's stored VAPID keys are unreadable.", [
            { path: 'vapid', problem: vapid.problem },
          ]);
        return { publicKey: vapid.value.publicKey };
      },
    }),
  ];
}
