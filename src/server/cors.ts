import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, TtlCache, ValidationError } from '../shared/index.js';
import { originAllowed, originListed } from '../workspaces/index.js';
import type { AppContext } from './context.js';
import type { RouteDef } from './route.js';

/**
 * Headers a page may send: keys (analytics-next sends Basic even with the key in the
 * body), identity tokens, a gzip body, and the retry counter Segment's SDKs add.
 */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'content-encoding',
  'x-rapport-identity',
  'x-retry-count',
].join(', ');
/** Segment's SDKs read Retry-After on a 429 to back off; CORS hides it unless exposed. */
const EXPOSED_HEADERS = 'retry-after';
/** Browsers cache a preflight this long (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_S = 600;
/** How often one refused origin is logged again, per workspace and process. */
const LOG_EVERY_MS = 10 * 60_000;

/**
 * Whether a route answers CORS: the routes a browser-safe key may call (the Segment SDK
 * routes, recommendations, decide, the SDK settings), as those are what web pages call.
 */
export const isBrowserRoute = (def: RouteDef): boolean => def.publicKey !== undefined;

/**
 * CORS for the browser routes, strict by default: a workspace lets no page call it
 * cross-origin until its settings list the page's origin (`cors.allowedOrigins`).
 *
 * A preflight names no key, so it is answered for origins some workspace lists; the
 * request that follows carries a key and is refused (403, nothing written, no CORS
 * headers) unless its own workspace lists the origin. Requests without `Origin`
 * (servers, mobile apps, curl) are not CORS and are not checked.
 */
export class Cors {
  /** Preflights carry no key and no rate limit: their lookups are cached briefly. */
  private readonly listed: TtlCache<boolean>;
  private readonly logged = new Map<string, number>();

  constructor(private readonly ctx: AppContext) {
    this.listed = new TtlCache(ctx.clock, 5_000, 10_000);
  }

  /** An OPTIONS route per browser route's path, answering its preflights. */
  registerPreflights(app: FastifyInstance, routes: readonly RouteDef[]): void {
    const methods = new Map<string, Set<string>>();
    for (const def of routes.filter(isBrowserRoute)) {
      const set = methods.get(def.url) ?? new Set<string>();
      set.add(def.method);
      methods.set(def.url, set);
    }
    for (const [url, set] of methods) {
      const allow = [...set].join(', ');
      app.route({
        method: 'OPTIONS',
        url,
        handler: async (request, reply) => {
          const origin = originOf(request);
          if (origin === null) {
            throw new ValidationError(
              'A CORS preflight needs an Origin header: browsers send one; other clients need no preflight.',
              [{ path: 'Origin', problem: 'missing' }],
            );
          }
          if (!(await this.listedAnywhere(origin))) {
            this.warn(request, origin, null);
            throw refusal(origin);
          }
          void reply
            .header('access-control-allow-origin', origin)
            .header('access-control-allow-methods', allow)
            .header('access-control-allow-headers', ALLOWED_HEADERS)
            .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_S))
            .header('vary', 'Origin')
            .code(204);
          return reply.send();
        },
      });
    }
  }

  /**
   * Before parsing (route `onRequest`): lets a page of a listed origin read the answer,
   * errors included (bad JSON, too large), before its key is known.
   */
  async open(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    void reply.header('vary', 'Origin');
    const origin = originOf(request);
    if (origin === null || !(await this.listedAnywhere(origin))) return;
    void reply
      .header('access-control-allow-origin', origin)
      .header('access-control-expose-headers', EXPOSED_HEADERS);
  }

  /** Once the key is known: its workspace must list the page's origin, or 403. */
  async check(request: FastifyRequest, reply: FastifyReply, workspaceId: string): Promise<void> {
    const origin = originOf(request);
    if (origin === null || this.sameOrigin(request, origin)) return;
    if (await originAllowed(this.ctx.store.db, workspaceId, origin)) {
      void reply
        .header('access-control-allow-origin', origin)
        .header('access-control-expose-headers', EXPOSED_HEADERS);
      return;
    }
    void reply.removeHeader('access-control-allow-origin');
    void reply.removeHeader('access-control-expose-headers');
    this.warn(request, origin, workspaceId);
    throw refusal(origin);
  }

  /**
   * Browsers send `Origin` on same-origin POSTs too: a page Rapport serves itself (or a
   * shop proxying `/v1/` under its own origin) is not cross-origin and needs no listing.
   * `Sec-Fetch-Site` is set by the browser, never by the page; the host comparison
   * covers browsers without it.
   */
  private sameOrigin(request: FastifyRequest, origin: string): boolean {
    if (request.headers['sec-fetch-site'] === 'same-origin') return true;
    if (origin === `${request.protocol}://${request.host}`) return true;
    return origin === new URL(this.ctx.publicUrl).origin;
  }

  private listedAnywhere(origin: string): Promise<boolean> {
    return this.listed.get(origin, () => originListed(this.ctx.store.db, origin));
  }

  /**
   * Says in the log, at most once per origin, workspace and 10 minutes, that a page was
   * refused: the page itself only sees a CORS error in its console.
   */
  private warn(request: FastifyRequest, origin: string, workspaceId: string | null): void {
    const key = `${workspaceId ?? '*'}|${origin}`;
    const now = this.ctx.clock.now();
    const last = this.logged.get(key);
    if (last !== undefined && now - last < LOG_EVERY_MS) return;
    if (this.logged.size >= 1_000) this.logged.clear();
    this.logged.set(key, now);
    this.ctx.logger.warn(
      { origin, workspaceId, method: request.method, route: request.routeOptions.url },
      workspaceId === null
        ? `Refused a CORS preflight from ${origin}: no workspace lists this origin. Add it to the workspace's settings (cors.allowedOrigins in PUT /v1/admin/settings) to let its pages send events.`
        : `Refused a browser request from ${origin} to workspace ${workspaceId}: the origin is not in its settings (cors.allowedOrigins in PUT /v1/admin/settings).`,
    );
  }
}

function originOf(request: FastifyRequest): string | null {
  const origin = request.headers.origin;
  return typeof origin === 'string' && origin !== '' ? origin : null;
}

function refusal(origin: string): AppError {
  return new AppError(
    'origin_not_allowed',
    403,
    `Pages of ${origin} may not call this workspace: add the origin to the workspace's settings (cors.allowedOrigins, PUT /v1/admin/settings). Until an origin is listed, no web page may call Rapport cross-origin.`,
    [{ path: 'Origin', problem: `${origin} is not in cors.allowedOrigins` }],
  );
}
