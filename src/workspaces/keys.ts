import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { newId, type Clock, type DurationRules } from '../shared/index.js';

/**
 * `public` is browser-safe: it may only call the routes that accept it (ingest,
 * recommendations, decide), each for the caller's own identity (docs/keys.md).
 */
export const KeyScope = z.enum(['write', 'read', 'admin', 'public']);
export type KeyScope = z.infer<typeof KeyScope>;

/** The longest lifetime a key may be given (`expiresIn`, `--expires-in`). */
export const KEY_LIFETIME: DurationRules = {
  maxMs: 3650 * 86_400_000,
  maxText: '10 years (P3650D)',
  allowZero: false,
};

/** A key's name: a label for people, never used to authenticate. */
export const KeyName = z.string().trim().min(1).max(200);

export interface CreatedKey {
  id: string;
  key: string;
  scope: KeyScope;
  workspaceId: string;
  name: string | null;
  createdAt: string;
  expiresAt: string | null;
}

/** A key as listings show it: never the key itself, nor its hash. */
export const ApiKeyInfo = z.object({
  id: z.string(),
  scope: KeyScope,
  name: z.string().nullable(),
  /** The first characters of the key, to tell which one a client holds. */
  prefix: z.string(),
  status: z.enum(['active', 'expired', 'revoked']),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Whether a key of scope `held` may call an endpoint needing `needed`. Admin may do all; a
 * public key only what a route opts it into (`publicKey` on the route), never by scope.
 */
export function scopeAllows(held: KeyScope, needed: KeyScope): boolean {
  if (held === 'public') return false;
  return held === 'admin' || held === needed;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Revoked wins over expired; a key expires at its `expires_at` instant, not after it. */
export function keyStatus(
  row: { expires_at: number | null; revoked_at: number | null },
  now: number,
): ApiKeyInfo['status'] {
  if (row.revoked_at !== null) return 'revoked';
  if (row.expires_at !== null && row.expires_at <= now) return 'expired';
  return 'active';
}

/** A stored key row as listings show it, with its status at `now`. */
export function keyInfo(
  row: {
    id: string;
    scope: KeyScope;
    name: string | null;
    prefix: string;
    created_at: number;
    expires_at: number | null;
    revoked_at: number | null;
  },
  now: number,
): ApiKeyInfo {
  return {
    id: row.id,
    scope: row.scope,
    name: row.name,
    prefix: row.prefix,
    status: keyStatus(row, now),
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
  };
}

/**
 * Creates a key and stores only its hash. The plain key is returned once, here.
 * @example
 * const { key } = await createApiKey(db, clock, { workspaceId: 'default', scope: 'write' });
 */
export async function createApiKey(
  db: Kysely<Database>,
  clock: Clock,
  input: { workspaceId: string; scope: KeyScope; name?: string | null; expiresAt?: number | null },
): Promise<CreatedKey> {
  const key = `rk_${input.scope}_${randomBytes(24).toString('base64url')}`;
  const id = newId('key');
  const now = clock.now();
  const name = input.name ?? null;
  const expiresAt = input.expiresAt ?? null;
  await db
    .insertInto('api_keys')
    .values({
      id,
      workspace_id: input.workspaceId,
      scope: input.scope,
      key_hash: hashKey(key),
      prefix: key.slice(0, 12),
      created_at: now,
      revoked_at: null,
      expires_at: expiresAt,
      name,
    })
    .execute();
  return {
    id,
    key,
    scope: input.scope,
    workspaceId: input.workspaceId,
    name,
    createdAt: iso(now)!,
    expiresAt: iso(expiresAt),
  };
}

/** A workspace's keys, oldest first, revoked and expired ones included. */
export async function listApiKeys(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<ApiKeyInfo[]> {
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'scope', 'name', 'prefix', 'created_at', 'expires_at', 'revoked_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const now = clock.now();
  return rows.map((r) => keyInfo(r, now));
}
