import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../store/index.js';
import {
  checkIsoDuration,
  ConflictError,
  isoDurationMs,
  NotFoundError,
  ValidationError,
} from '../../shared/index.js';
import {
  ApiKeyInfo,
  createApiKey,
  DEFAULT_ROTATION_GRACE_MS,
  KEY_LIFETIME,
  KeyName,
  KeyScope,
  listApiKeys,
  MAX_ROTATION_GRACE_MS,
  revokeApiKey,
  rotateApiKey,
  type CreatedKey as CreatedKeyValue,
} from '../../workspaces/index.js';
import { audited } from '../audited.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

const CreateKey = z
  .object({
    scope: KeyScope,
    name: KeyName.optional(),
    /** When the key stops working (ISO 8601 date-time with offset). */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    /** How long the key works from now (ISO 8601 duration, e.g. P90D). */
    expiresIn: z.string().superRefine(checkIsoDuration(KEY_LIFETIME)).optional(),
  })
  .refine((b) => b.expiresAt === undefined || b.expiresIn === undefined, {
    message: 'give expiresAt or expiresIn, not both',
    path: ['expiresIn'],
  });
const CreatedKey = z.object({
  id: z.string(),
  /** The key itself: shown in this response only. */
  key: z.string(),
  scope: KeyScope,
  name: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});
const KeyParams = z.object({ id: z.string().min(1).max(100) });
const MAX_GRACE_SECONDS = MAX_ROTATION_GRACE_MS / 1000;
const RotateKey = z.object({
  /** How long the old key keeps working beside the new one; 0 stops it now. */
  graceSeconds: z
    .number()
    .int('must be a whole number of seconds')
    .min(0, 'must be 0 (the old key stops now) or more')
    .max(MAX_GRACE_SECONDS, `must be at most ${MAX_GRACE_SECONDS} (30 days)`)
    .optional(),
});
const Rotated = CreatedKey.extend({ previous: ApiKeyInfo });

const unknownKey = (id: string) =>
  new NotFoundError(`No API key "${id}" in this workspace (GET /v1/admin/keys lists them).`);

/** A created key as the response shows it, its only time. */
const shownOnce = (k: CreatedKeyValue): z.infer<typeof CreatedKey> => ({
  id: k.id,
  key: k.key,
  scope: k.scope,
  name: k.name,
  createdAt: k.createdAt,
  expiresAt: k.expiresAt,
});

/**
 * A key as listings show it (id and prefix, never the key), for the audit log: before a
 * change, or a created key after it.
 */
async function keyNow(ctx: AppContext, db: Kysely<Database>, workspaceId: string, id: string) {
  return (await listApiKeys(db, ctx.clock, workspaceId)).find((k) => k.id === id) ?? null;
}

/** `expiresAt` or `expiresIn` as epoch ms; a moment already past is refused. */
function expiryOf(body: z.infer<typeof CreateKey>, now: number): number | null {
  if (body.expiresIn !== undefined) return now + isoDurationMs(body.expiresIn, KEY_LIFETIME);
  if (body.expiresAt === undefined) return null;
  const at = Date.parse(body.expiresAt);
  if (at <= now) {
    throw new ValidationError('Invalid request body: expiresAt is not in the future.', [
      { path: 'expiresAt', problem: `must be after now (${new Date(now).toISOString()})` },
    ]);
  }
  if (at - now > KEY_LIFETIME.maxMs) {
    throw new ValidationError('Invalid request body: expiresAt is too far ahead.', [
      { path: 'expiresAt', problem: `must be within ${KEY_LIFETIME.maxText} from now` },
    ]);
  }
  return at;
}

/** API keys of the caller's workspace: list, create, revoke, rotate. Admin only. */
export function keyRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/admin/keys',
      summary: "The workspace's API keys, revoked and expired ones too (never the keys)",
      tag: 'admin',
      auth: 'admin',
      responses: { 200: z.object({ keys: z.array(ApiKeyInfo) }) },
      handler: async ({ principal }) => ({
        keys: await listApiKeys(ctx.store.db, ctx.clock, principal.workspaceId),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/admin/keys',
      summary: 'Create an API key, optionally expiring; the key is shown only in this response',
      tag: 'admin',
      auth: 'admin',
      body: CreateKey,
      responses: { 201: CreatedKey },
      handler: async ({ body, principal, request, reply }) => {
        const expiresAt = expiryOf(body, ctx.clock.now());
        const created = await audited(
          ctx,
          principal,
          request,
          { action: 'key.create', kind: 'key' },
          async (store) => {
            const key = await createApiKey(store.db, ctx.clock, {
              workspaceId: principal.workspaceId,
              scope: body.scope,
              name: body.name ?? null,
              expiresAt,
            });
            const after = await keyNow(ctx, store.db, principal.workspaceId, key.id);
            return { result: key, targetId: key.id, after };
          },
        );
        reply.code(201);
        return shownOnce(created);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/admin/keys/:id',
      summary: 'Revoke an API key: it answers 401 from the next request on, in every process',
      tag: 'admin',
      auth: 'admin',
      params: KeyParams,
      responses: { 200: ApiKeyInfo, 404: z.unknown(), 409: z.unknown() },
      handler: ({ params, principal, request }) =>
        audited(
          ctx,
          principal,
          request,
          { action: 'key.revoke', kind: 'key', id: params.id },
          async (store) => {
            const before = await keyNow(ctx, store.db, principal.workspaceId, params.id);
            const r = await revokeApiKey(store, ctx.clock, principal.workspaceId, params.id);
            if (r.kind === 'not_found') throw unknownKey(params.id);
            if (r.kind === 'last_admin') {
              throw new ConflictError(
                `Key "${params.id}" is the last working admin key of this workspace; revoking it would lock the workspace out. Create another admin key first (POST /v1/admin/keys with {"scope":"admin"}), then revoke this one.`,
              );
            }
            const changed = before?.revokedAt === null;
            return { result: r.key, before, after: r.key, changed };
          },
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/admin/keys/:id/rotate',
      summary:
        'Replace an API key: a new key (shown only here) with the same scope and name; the old one works for graceSeconds more (default 1 day)',
      tag: 'admin',
      auth: 'admin',
      params: KeyParams,
      body: RotateKey,
      responses: { 201: Rotated, 404: z.unknown(), 409: z.unknown() },
      handler: async ({ params, body, principal, request, reply }) => {
        const graceMs =
          body.graceSeconds === undefined ? DEFAULT_ROTATION_GRACE_MS : body.graceSeconds * 1000;
        const r = await audited(
          ctx,
          principal,
          request,
          { action: 'key.rotate', kind: 'key', id: params.id },
          async (store) => {
            const before = await keyNow(ctx, store.db, principal.workspaceId, params.id);
            const r = await rotateApiKey(store, ctx.clock, principal.workspaceId, params.id, {
              graceMs,
            });
            if (r.kind === 'not_found') throw unknownKey(params.id);
            if (r.kind === 'inactive') {
              throw new ConflictError(
                `Key "${params.id}" is ${r.key.status}; there is nothing to hand over. Create a new key instead (POST /v1/admin/keys).`,
              );
            }
            const created = await keyNow(ctx, store.db, principal.workspaceId, r.created.id);
            const after = { previous: r.previous, created };
            return { result: r, before, after };
          },
        );
        reply.code(201);
        return { ...shownOnce(r.created), previous: r.previous };
      },
    }),
  ];
}
