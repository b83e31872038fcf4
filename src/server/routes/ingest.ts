import { z } from 'zod';
import {
  BatchResponse,
  MAX_BATCH_BYTES,
  MAX_EVENT_BYTES,
  SCHEMA_BY_TYPE,
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

/** The Segment HTTP tracking API: `/v1/{type}` and `/v1/batch`. */
export function ingestRoutes(ctx: AppContext): RouteDef[] {
  const single = (type: EventType): RouteDef => {
    const schema: z.ZodType = SCHEMA_BY_TYPE[type];
    return defineRoute({
      method: 'POST',
      url: `/v1/${type}`,
      summary: `Record a ${type} call (Segment spec)`,
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

  return [
    ...(['track', 'identify', 'page', 'screen', 'group', 'alias'] as const).map(single),
    defineRoute({
      method: 'POST',
      url: '/v1/batch',
      summary: 'Record up to 500 KB of events in one call (Segment spec)',
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
    }),
  ];
}
