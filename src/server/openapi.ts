import { z } from 'zod';
import { VERSION } from '../shared/index.js';
import type { RouteDef } from './route.js';

const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), problem: z.string() })),
  }),
});

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

/** The OpenAPI 3 document, generated from the same route table that serves requests. */
export function buildOpenApi(routes: readonly RouteDef[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.hidden) continue;
    const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      if (!schema) continue;
      const json = schemaOf(schema, 'input') as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, prop] of Object.entries(json.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (json.required ?? []).includes(name),
          schema: prop,
        });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(route.responses ?? {})) {
      responses[status] = {
        description: Number(status) < 300 ? 'Success' : 'Error',
        content: { [route.produces ?? 'application/json']: { schema: schemaOf(schema, 'output') } },
      };
    }
    if (route.auth !== 'public') {
      responses['401'] = errorResponse('Missing or unknown API key');
      responses['403'] = errorResponse(
        route.auth === 'platform'
          ? 'The key is not the platform key'
          : `The key lacks the ${route.auth} scope` +
              (route.publicKey
                ? "; or a public key acts for an identity its X-Rapport-Identity token does not prove; or a web page's Origin is not in the workspace's cors.allowedOrigins"
                : '; a public key may not call this route'),
      );
      responses['429'] = {
        ...errorResponse(
          `The key sent more than its ${route.rateLimit ?? route.auth} limit allows; retry after Retry-After seconds`,
        ),
        headers: { 'Retry-After': { schema: { type: 'integer', minimum: 1 } } },
      };
    }
    if (route.body || route.query || route.params)
      responses['400'] = errorResponse('Invalid input');
    if (Object.keys(responses).length === 0) responses['200'] = { description: 'Success' };
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      ...(route.keyParam
        ? {
            description: `The key is the path parameter \`${route.keyParam}\` (browsers fetch this without headers); an Authorization header naming another key is refused.`,
          }
        : {}),
      tags: [route.tag],
      ...(route.publicKey ? { 'x-public-key': 'own identity (X-Rapport-Identity token)' } : {}),
      ...(route.auth === 'public'
        ? { security: [] }
        : { security: [{ bearer: [] }, ...(route.auth === 'write' ? [{ basic: [] }] : [])] }),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              // Browser routes also take text/plain, which spares a page the preflight.
              content: Object.fromEntries(
                (route.publicKey ? ['application/json', 'text/plain'] : ['application/json']).map(
                  (type) => [type, { schema: schemaOf(route.body!, 'input') }],
                ),
              ),
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Rapport API',
      version: VERSION,
      description:
        'Events in (Segment-compatible), profiles, segments, recommendations, decisions and journeys out.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key of the needed scope.' },
        basic: {
          type: 'http',
          scheme: 'basic',
          description: 'Segment convention: the write key as user name, empty password.',
        },
      },
    },
    paths,
  };
}

function errorResponse(description: string) {
  return {
    description,
    content: { 'application/json': { schema: schemaOf(ErrorBody, 'output') } },
  };
}
