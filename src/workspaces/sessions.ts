import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { newId, type Clock } from '../shared/index.js';
import type { KeyResolution, KeyResolver, Principal } from './key-resolver.js';
import { hashKey } from './keys.js';

/** How long a dashboard session lasts from sign-in; signing in again starts a new one. */
export const SESSION_TTL_MS = 12 * 3_600_000;

export interface OpenedSession {
  id: string;
  /** The cookie's value: 256 random bits, given once, stored only as a hash. */
  token: string;
  expiresAt: number;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Opens a session for the holder of `key` (already resolved to `principal`). Sessions
 * past their expiry are deleted here, so the table holds only live ones and recent
 * revocations without a loop of its own.
 */
export async function openSession(
  db: Kysely<Database>,
  clock: Clock,
  principal: Principal,
  key: string,
): Promise<OpenedSession> {
  const now = clock.now();
  const token = `rs_${randomBytes(32).toString('base64url')}`;
  const session = { id: newId('ses'), token, expiresAt: now + SESSION_TTL_MS };
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      token_hash: tokenHash(token),
      workspace_id: principal.workspaceId,
      key_id: principal.keyId,
      key_hash: hashKey(key),
      created_at: now,
      expires_at: session.expiresAt,
      revoked_at: null,
    })
    .execute();
  return session;
}

/** What a session cookie turned out to be; only `ok` authenticates. */
export type SessionResolution =
  | { kind: 'ok'; principal: Principal; id: string; expiresAt: number }
  | { kind: 'unknown' }
  | { kind: 'ended'; why: string };

/**
 * The principal of a session token. Its key is resolved again on every request, with the
 * scope it has now: revoking or expiring the key ends its sessions at the next request.
 */
export async function resolveSession(
  db: Kysely<Database>,
  clock: Clock,
  keys: KeyResolver,
  token: string,
): Promise<SessionResolution> {
  const row = await db
    .selectFrom('sessions')
    .select(['id', 'workspace_id', 'key_hash', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row) return { kind: 'unknown' };
  const at = (ms: number) => new Date(ms).toISOString();
  if (row.revoked_at !== null) {
    return { kind: 'ended', why: `This session was signed out at ${at(row.revoked_at)}.` };
  }
  if (row.expires_at <= clock.now()) {
    return { kind: 'ended', why: `This session expired at ${at(row.expires_at)}.` };
  }
  const key: KeyResolution = await keys.resolveHash(row.key_hash);
  if (key.kind !== 'ok' || key.principal.scope === 'platform') {
    return { kind: 'ended', why: 'The key this session was opened with no longer works.' };
  }
  // A key belongs to one workspace for life; the check guards a corrupted row.
  if (key.principal.workspaceId !== row.workspace_id) return { kind: 'unknown' };
  return { kind: 'ok', principal: key.principal, id: row.id, expiresAt: row.expires_at };
}

/** Signs a session out; false when it was already signed out or never existed. */
export async function closeSession(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: clock.now() })
    .where('id', '=', id)
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
