import { z } from 'zod';
import {
  BatchResponse,
  MAX_BATCH_BYTES,
  MAX_EVENT_BYTES,
  SCHEMA_BY_TYPE,
  EVENT_TYPES,
  SegmentEvent,
  SingleResponse,
  BatchRequest,
  type EventType,
} from '../../ingest/index.js';
import { ValidationError } from '../../shared/index.js';
import type { AppContext } from '../context.js';
import { isJsonBody } from '../json-body.js';
import { ingestClaim } from '../public-key.js';
import { defineRoute, type RouteDef } from '../route.js';

function bodyOf(body: unknown): { value: unknown; text: string } {
  if (!isJsonBody(body)) {
    throw new ValidationError('Send a JSON body with Content-Type: application/json.', [
      { path: '', problem: 'missing JSON body' },
    ]);
  }
  return body;
}

/** The first letter of each call: the paths analytics.js and analytics-next post to. */
const SHORT: Record<EventType, string> = {
  track: 't',
  identify: 'i',
  page: 'p',
  screen: 's',
  group: 'g',
  alias: 'a',
};

/**
 * The Segment HTTP tracking API: `/v1/{type}` and `/v1/batch`, and the short paths of
 * Segment's browser and mobile SDKs (`/v1/t`, `/v1/p`, …, `/v1/b`), which are the same
 * calls: same validation, limits, key rules and answers (docs/sdk.md).
 */
export function ingestRoutes(ctx: AppContext): RouteDef[] {
  const single = (type: EventType, path: string, summary: string): RouteDef => {
    const schema: z.ZodType = SCHEMA_BY_TYPE[type];
    return defineRoute({
      method: 'POST',
      url: `/v1/${path}`,
      summary,
      tag: 'ingest',
      auth: 'write',
      publicKey: ingestClaim,
      body: schema,
      rawBody: true,
      bodyLimit: MAX_EVENT_BYTES,
      responses: { 200: SingleResponse, 413: z.unknown() },
      handler: async ({ body, principal }) => {
        const { value, text } = bodyOf(body);
        const { duplicate } = await ctx.ingest.ingestOne(principal.workspaceId, type, value, text);
        return { success: true, duplicate };
      },
    });
  };
  const batch = (path: string, summary: string): RouteDef =>
    defineRoute({
      method: 'POST',
      url: `/v1/${path}`,
      summary,
      tag: 'ingest',
      auth: 'write',
      publicKey: ingestClaim,
      body: BatchRequest.extend({ batch: z.array(SegmentEvent) }),
      rawBody: true,
      bodyLimit: MAX_BATCH_BYTES,
      responses: { 200: BatchResponse, 413: z.unknown() },
      handler: async ({ body, principal, reply }) => {
        const { value, text } = bodyOf(body);
        const result = await ctx.ingest.ingestBatch(principal.workspaceId, value, text);
        if (result.accepted === 0) reply.code(400);
        return result;
      },
    });

  return [
    ...EVENT_TYPES.map((type) => single(type, type, `Record a ${type} call (Segment spec)`)),
    batch('batch', 'Record up to 500 KB of events in one call (Segment spec)'),
    ...EVENT_TYPES.map((type) =>
      single(
        type,
        SHORT[type],
        `Record a ${type} call: the path Segment's browser SDKs use (key in the body as writeKey, text/plain accepted)`,
      ),
    ),
    batch(
      'b',
      "Record a batch: the path Segment's mobile and batching browser SDKs use (as /v1/batch)",
    ),
  ];
}
