import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { KeyScope, PlatformPrincipal, Principal } from '../workspaces/index.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Who a request from a public key speaks for, read from its parsed input. */
export interface PublicClaim {
  /** User ids the request reads or writes as; anonymous ids are self-asserted. */
  userIds: string[];
  /** Something a public key may never send, whoever it speaks for. */
  refusal?: { path: string; problem: string };
}

export type PublicClaimOf = (input: { body: unknown; query: unknown }) => PublicClaim;

/**
 * The key scope a route requires, 'platform' for the platform key (workspace management
 * only), or 'public' for none.
 */
export type RouteAuth = KeyScope | 'platform' | 'public';

export interface HandlerInput<B, Q, P, A extends RouteAuth = RouteAuth> {
  body: B;
  query: Q;
  params: P;
  /** Whose key called: null on public routes, which take none. */
  principal: A extends 'public' ? null : A extends 'platform' ? PlatformPrincipal : Principal;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * One route, described once: its zod schemas validate the request, type the handler
 * and generate the OpenAPI document.
 */
export interface RouteDef<B = unknown, Q = unknown, P = unknown, A extends RouteAuth = RouteAuth> {
  method: Method;
  /** Fastify syntax: `/v1/profiles/:kind/:value`. */
  url: string;
  summary: string;
  tag: string;
  /** The key scope required, or 'public'. */
  auth: A;
  /**
   * The per-key limit the route counts against when not its scope's: `preview` for calls
   * that spend seconds of work each. Public routes have no key and no limit.
   */
  rateLimit?: 'preview';
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Response schemas by status, for the OpenAPI document. */
  responses?: Record<number, z.ZodType>;
  /** Content type of a non-JSON success response. */
  produces?: string;
  bodyLimit?: number;
  /** Handlers that validate the body themselves (e.g. batch) see it unparsed. */
  rawBody?: boolean;
  /** Keep out of the OpenAPI document (e.g. an alias path). */
  hidden?: boolean;
  /**
   * Lets a browser-safe `public` key call the route: the user ids the request speaks for
   * (each must be proven by the caller's identity token), or a refusal. Without it a
   * public key gets 403. See `server/public-key.ts`.
   */
  publicKey?: PublicClaimOf;
  /**
   * The path parameter that carries the key (Segment's `/v1/projects/{writeKey}/settings`,
   * which browsers fetch without headers) instead of the Authorization header or body.
   */
  keyParam?: string;
  handler(input: HandlerInput<B, Q, P, A>): Promise<unknown>;
}

/** Identity function that infers the handler's types from the schemas and the auth. */
export function defineRoute<
  B = undefined,
  Q = undefined,
  P = undefined,
  A extends RouteAuth = RouteAuth,
>(def: RouteDef<B, Q, P, A>): RouteDef {
  return def;
}
