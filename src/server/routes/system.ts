import { sql } from 'kysely';
import { z } from 'zod';
import { VERSION } from '../../shared/index.js';
import type { AppContext } from '../context.js';
import { buildOpenApi } from '../openapi.js';
import { defineRoute, type RouteDef } from '../route.js';

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  store: z.enum(['sqlite', 'postgres']),
  version: z.string(),
});

export function systemRoutes(ctx: AppContext, all: () => RouteDef[]): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/health',
      summary: 'Liveness and store reachability',
      tag: 'system',
      auth: 'public',
      responses: { 200: Health, 503: Health },
      handler: async ({ reply }) => {
        try {
          await sql`SELECT 1`.execute(ctx.store.db);
          return { status: 'ok', store: ctx.store.kind, version: VERSION };
        } catch {
          reply.code(503);
          return { status: 'unavailable', store: ctx.store.kind, version: VERSION };
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/metrics',
      summary: 'Prometheus metrics',
      tag: 'system',
      auth: 'public',
      produces: 'text/plain',
      responses: { 200: z.string() },
      handler: async ({ reply }) => {
        reply.header('content-type', ctx.metrics.registry.contentType);
        return ctx.metrics.registry.metrics();
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/openapi.json',
      summary: 'This API as an OpenAPI 3 document',
      tag: 'system',
      auth: 'public',
      handler: () => Promise.resolve(buildOpenApi(all())),
    }),
  ];
}
