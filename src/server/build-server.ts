import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import type { Principal } from '../workspaces/index.js';
import { fastifyCookie } from '@fastify/cookie';
import { DEFAULTS, type HttpLimits, type RateLimitSettings } from '../config/index.js';
import { AppError, ForbiddenError, ValidationError, zodDetails } from '../shared/index.js';
import { MAX_BATCH_BYTES } from '../ingest/index.js';
import { authenticate, authorize, presentedKey } from './auth.js';
import type { AppContext } from './context.js';
import { Cors, isBrowserRoute } from './cors.js';
import {
  apiNotFound,
  frameworkErrors,
  MAX_PARAM_LENGTH,
  registerErrorHandler,
} from './error-handler.js';
import { capConnections, httpServerOptions } from './http-limits.js';
import { isJsonBody, registerJsonBody } from './json-body.js';
import { checkPublicCaller } from './public-key.js';
import { RateLimiter, rateLimitsOf, type RateClass } from './rate-limit.js';
import type { RouteDef } from './route.js';
import { allRoutes } from './routes/index.js';
import { sessionPrincipal, sessionToken } from './session.js';
import { apiPrefixesOf, DEFAULT_WEB_ROOT, registerDashboard } from './web.js';

export interface ServerOptions {
  /** 'worker' serves only health and metrics. */
  role?: 'all' | 'api' | 'worker';
  /** Timeouts and the connection cap; the configuration's defaults when not given. */
  http?: HttpLimits;
  /** Requests per key and route class, counted in this process; the defaults when not given. */
  rateLimits?: RateLimitSettings;
  /** The built dashboard (`npm run build`); `dist/web` of the checkout when not given. */
  webRoot?: string;
}

/** Builds the HTTP app, unstarted. `main` listens; tests call `inject`. */
export function buildServer(ctx: AppContext, options: ServerOptions = {}): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = ctx.logger;
  const limits = options.http ?? DEFAULTS;
  const app = Fastify({
    ...httpServerOptions(limits),
    loggerInstance,
    // Per-request log lines would cost more than ingesting the events they describe;
    // requests are counted in /metrics and failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BATCH_BYTES,
    // Segment clients send keep-alive batches; idle sockets must not block shutdown.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
  });
  capConnections(app, limits, () => ctx.metrics.connectionsDropped.inc());
  registerJsonBody(app);
  // Loads the cookie codec that `session.ts` parses and writes the session cookie with.
  void app.register(fastifyCookie);
  registerErrorHandler(app);

  // On shutdown, responses to in-flight requests close their keep-alive connections and
  // idle ones are closed as they appear, so close() finishes once the work is done.
  let closing = false;
  let reaper: NodeJS.Timeout | undefined;
  app.addHook('preClose', (done) => {
    closing = true;
    reaper = setInterval(() => app.server.closeIdleConnections(), 50);
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    clearInterval(reaper);
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    ctx.metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });

  const all = allRoutes(ctx);
  const routes = all.filter(
    (r) => options.role !== 'worker' || r.url === '/health' || r.url === '/metrics',
  );
  const limiter = new RateLimiter(rateLimitsOf(options.rateLimits ?? DEFAULTS), ctx.clock);
  const cors = new Cors(ctx);
  for (const route of routes) registerRoute(app, ctx, limiter, cors, route);
  cors.registerPreflights(app, routes);
  // A worker process serves only health and metrics; the dashboard comes with the API.
  if (options.role === 'worker') app.setNotFoundHandler(apiNotFound);
  else {
    const prefixes = apiPrefixesOf(all.map((r) => r.url));
    registerDashboard(app, options.webRoot ?? DEFAULT_WEB_ROOT, prefixes, apiNotFound);
  }
  return app;
}

function registerRoute(
  app: FastifyInstance,
  ctx: AppContext,
  limiter: RateLimiter,
  cors: Cors,
  def: RouteDef,
): void {
  const browser = isBrowserRoute(def);
  // The platform key counts against the admin limits: it is one operator's key.
  const rateClass =
    def.auth === 'public'
      ? null
      : (def.rateLimit ?? (def.auth === 'platform' ? 'admin' : def.auth));
  app.route({
    method: def.method,
    url: def.url,
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    ...(browser ? { onRequest: (request, reply) => cors.open(request, reply) } : {}),
    handler: async (request, reply) => {
      // Counted once the key is known and before any work: wrong scope and invalid input
      // included, as each cost a key lookup.
      const key = def.keyParam === undefined ? keyFor(request) : keyInPath(request, def.keyParam);
      // Without a key, the dashboard's session cookie stands in for the key that opened
      // it, with that key's scope and workspace (never for the platform key).
      const token =
        key === null && def.auth !== 'public' && def.auth !== 'platform'
          ? sessionToken(request)
          : null;
      if (key === null && token === null && def.auth === 'write') throw missingWriteKey();
      const principal =
        def.auth === 'public' || rateClass === null
          ? null
          : token !== null
            ? authorize(await sessionCaller(ctx, request, token, limiter, rateClass), def.auth)
            : await authenticate(
                ctx.keys,
                key,
                def.auth,
                (p) => {
                  // A public key is in every visitor's browser: each client address gets its
                  // own bucket, so one abusive visitor cannot spend the whole site's budget,
                  // and the key's own class limit still caps the site as a whole.
                  if (p.scope === 'public') limiter.take(`${p.keyId}|${request.ip}`, 'public');
                  limiter.take(p.keyId, rateClass);
                },
                def.publicKey !== undefined,
              );
      if (browser && principal && principal.scope !== 'platform') {
        await cors.check(request, reply, principal.workspaceId);
      }
      const params = parsePart(def.params, request.params, 'params');
      const query = parsePart(def.query, request.query, 'query');
      let body: unknown = request.body;
      if (!def.rawBody) {
        const value = isJsonBody(body) ? body.value : body;
        body = def.body ? parsePart(def.body, value ?? {}, '') : undefined;
      }
      if (principal && principal.scope === 'public') {
        await checkPublicCaller(ctx, principal, def, request, { body, query });
      }
      const result = await def.handler({ body, query, params, principal, request, reply });
      if (reply.sent) return reply;
      return result;
    },
  });
}

async function sessionCaller(
  ctx: AppContext,
  request: FastifyRequest,
  token: string,
  limiter: RateLimiter,
  rateClass: RateClass,
): Promise<Principal> {
  const principal = await sessionPrincipal(ctx, request, token);
  limiter.take(principal.keyId, rateClass);
  return principal;
}

/**
 * Segment's HTTP API also accepts the write key inside a JSON body (analytics.js sends it
 * there, in a text/plain body, to spare the browser a preflight).
 */
function keyFor(request: FastifyRequest): string | null {
  const key = presentedKey(request);
  if (key) return key;
  const body = request.body;
  if (isJsonBody(body) && typeof body.value === 'object' && body.value !== null) {
    const writeKey = (body.value as { writeKey?: unknown }).writeKey;
    if (typeof writeKey === 'string' && writeKey) return writeKey;
  }
  return null;
}

/** Without any key a write route says where one goes. */
function missingWriteKey(): AppError {
  return new AppError(
    'unauthorized',
    401,
    'Missing write key: send it as `writeKey` in the JSON body, as the HTTP Basic user name, or as `Authorization: Bearer <key>`.',
    [{ path: 'writeKey', problem: 'missing' }],
  );
}

/** The key a route takes in its path; a different key in the header is a mistake. */
function keyInPath(request: FastifyRequest, param: string): string | null {
  const params = request.params as Record<string, string | undefined>;
  const key = params[param] ?? null;
  const header = presentedKey(request);
  if (header !== null && header !== key) {
    throw new ForbiddenError(
      'The key in the path is not the key in the Authorization header: send one key, the write or public key the page sends events with, in the path.',
      [{ path: param, problem: 'differs from the key in the Authorization header' }],
    );
  }
  return key;
}

function parsePart(
  schema: import('zod').ZodType | undefined,
  value: unknown,
  part: string,
): unknown {
  if (!schema) return value;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const where = part ? `the ${part}` : 'the request body';
  throw new ValidationError(
    `Invalid ${part ? part : 'request body'}: see details for each field in ${where}.`,
    zodDetails(parsed.error, part ? [part] : []),
  );
}
