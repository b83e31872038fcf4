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
  /** `encrypted`: personal data is sealed under RAPPORT_ENCRYPTION_KEY; `clear`: it is not. */
  personalData: z.enum(['encrypted', 'clear']),
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
        const about = {
          store: ctx.store.kind,
          version: VERSION,
          personalData: ctx.store.encryption ? ('encrypted' as const) : ('clear' as const),
        };
        try {
          await sql`SELECT 1`.execute(ctx.store.db);
          return { status: 'ok' as const, ...about };
        } catch {
          reply.code(503);
          return { status: 'unavailable' as const, ...about };
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
