import { z } from 'zod';
import { readSettings } from '../../messaging/index.js';
import { mayPersonalize } from '../../privacy/index.js';
import { findProfileId } from '../../profiles/index.js';
import {
  recommendParamShape,
  RecommendResponse,
  requestFromParams,
  TuningReport,
} from '../../recommend/index.js';
import { NotFoundError, TtlCache, ValidationError } from '../../shared/index.js';
import type { AppContext } from '../context.js';
import { queryClaim } from '../public-key.js';
import { defineRoute, type RouteDef } from '../route.js';

// Strict: a misspelt parameter (`exlude`) answers 400 naming it instead of being ignored.
const RecsQuery = z.strictObject({
  userId: z.string().min(1).optional(),
  anonymousId: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(10),
  /** The dashboard's preview: answers the same, records no exposure in the person's trace. */
  preview: z.enum(['true', 'false'], 'must be true or false').optional(),
  ...recommendParamShape,
});

const TrainOut = z.object({
  version: z.number().int(),
  interactions: z.number().int(),
  items: z.number().int(),
  seconds: z.number(),
  tuning: TuningReport.nullable().describe(
    "How the personalized model's parameters were chosen on a validation tail (null: not tuned)",
  ),
});

const VersionsOut = z.object({
  versions: z.array(
    z.object({
      version: z.number().int(),
      publishedAt: z.number(),
      trainedAt: z.number(),
      trainedThrough: z.number().nullable(),
      current: z.boolean(),
      note: z.string().optional(),
      tuning: TuningReport.nullable(),
    }),
  ),
});

export function recommendationRoutes(ctx: AppContext): RouteDef[] {
  // The hot path answers from memory: who an id belongs to and the workspace's consent
  // policy are cached for a few seconds. A person's own consent is always read fresh: a
  // "no" takes effect on the next request.
  const people = new TtlCache<string | null>(ctx.clock, 5_000);
  const policies = new TtlCache<Awaited<ReturnType<typeof readSettings>>['consent']>(
    ctx.clock,
    5_000,
  );
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/recommendations',
      summary: 'Items for a person and/or an item, with the strategy and reason of each',
      tag: 'recommendations',
      auth: 'read',
      publicKey: queryClaim,
      query: RecsQuery,
      responses: {
        200: RecommendResponse.extend({
          personalized: z.boolean(),
          version: z.number().nullable(),
        }),
      },
      handler: async ({ query, principal }) => {
        const ws = principal.workspaceId;
        const kind = query.userId ? 'user_id' : query.anonymousId ? 'anonymous_id' : null;
        const value = query.userId ?? query.anonymousId;
        const profileId =
          kind && value
            ? await people.get(`${ws}\u0000${kind}\u0000${value}`, () =>
                findProfileId(ctx.store.db, ws, kind, value),
              )
            : null;
        // Someone who opted out of personalization gets what everyone gets.
        let personalized = true;
        if (profileId) {
          const policy = await policies.get(
            ws,
            async () => (await readSettings(ctx.store.db, ws)).consent,
          );
          personalized = mayPersonalize(
            await ctx.consents.get(ctx.store.db, ws, profileId),
            policy,
          );
        }
        // Someone who opted out gets what everyone gets: popular items, none of their history.
        const answer = ctx.recommendations.recommend(
          ws,
          requestFromParams(personalized ? query : { ...query, strategy: 'popular' }, {
            limit: query.limit,
            ...(profileId && personalized ? { userId: profileId } : {}),
          }),
        );
        // What an identified person was shown, and why, for their trace (a preview showed
        // them nothing). Written off the request path; a failed record is logged.
        if (profileId && query.preview !== 'true')
          ctx.exposures.record(
            ws,
            profileId,
            {
              request: {
                strategy: personalized ? (query.strategy ?? 'auto') : 'popular',
                personalized,
                limit: query.limit,
                ...(query.itemId ? { itemId: query.itemId } : {}),
                ...(query.category ? { category: query.category } : {}),
              },
              items: answer.items,
            },
            ctx.clock.now(),
          );
        return {
          ...answer,
          personalized,
          version: ctx.recommendations.registry(ws)?.currentVersion() ?? null,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/admin/recommendations/train',
      summary: 'Retrain the recommendation models now (off the request path) and swap them in',
      tag: 'recommendations',
      auth: 'admin',
      responses: { 200: TrainOut },
      handler: ({ principal }) => ctx.recommendations.train(principal.workspaceId),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/admin/recommendations/versions',
      summary: 'Model versions kept in memory, which one serves, and how each was tuned',
      tag: 'recommendations',
      auth: 'admin',
      responses: { 200: VersionsOut },
      handler: async ({ principal }) => ({
        versions: ctx.recommendations.versions(principal.workspaceId),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/admin/recommendations/rollback',
      summary: 'Serve a previous model version again',
      tag: 'recommendations',
      auth: 'admin',
      body: z.object({ version: z.number().int().min(1).optional() }),
      handler: async ({ body, principal }) => {
        if (!ctx.recommendations.registry(principal.workspaceId))
          throw new NotFoundError('No model has been trained yet.');
        try {
          return { version: ctx.recommendations.rollback(principal.workspaceId, body.version) };
        } catch (error) {
          throw new ValidationError(error instanceof Error ? error.message : String(error), [
            { path: 'version', problem: 'no such kept version' },
          ]);
        }
      },
    }),
  ];
}
