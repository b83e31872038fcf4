import { recordChanges, withTransaction, type Store, type Tx } from '../store/index.js';
import type { Clock } from '../shared/index.js';
import { createApiKey, keyInfo, keyStatus, type ApiKeyInfo, type CreatedKey } from './keys.js';

/** How long a rotated key keeps working beside its successor unless told otherwise. */
export const DEFAULT_ROTATION_GRACE_MS = 24 * 3_600_000;
/** The longest grace a rotation may give the old key. */
export const MAX_ROTATION_GRACE_MS = 30 * 86_400_000;

export type RevokeResult =
  | { kind: 'revoked'; key: ApiKeyInfo }
  | { kind: 'not_found' }
  /** It is the workspace's last admin key that still works: revoking it would lock the workspace out. */
  | { kind: 'last_admin' };

export type RotateResult =
  | { kind: 'rotated'; created: CreatedKey; previous: ApiKeyInfo }
  | { kind: 'not_found' }
  /** A revoked or expired key has nothing left to hand over: create a new one instead. */
  | { kind: 'inactive'; key: ApiKeyInfo };

const COLUMNS = [
  'id',
  'scope',
  'name',
  'prefix',
  'created_at',
  'expires_at',
  'revoked_at',
] as const;

/**
 * Reads one key of the workspace. On PostgreSQL the row is locked until the transaction
 * ends, so two concurrent revocations or rotations of one key take turns (SQLite's
 * `BEGIN IMMEDIATE` already serializes writers).
 */
async function lockedKey(store: Store, tx: Tx, workspaceId: string, id: string) {
  let query = tx
    .selectFrom('api_keys')
    .select(COLUMNS)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id);
  if (store.kind === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

/**
 * Revokes a key of the workspace; the next request with it answers 401 in every process,
 * as keys are looked up per request (see `KeyResolver`). Revoking a revoked key changes
 * nothing. The workspace's last admin key that still works is refused (`last_admin`):
 * nobody could manage the workspace over HTTP afterwards.
 */
export async function revokeApiKey(
  store: Store,
  clock: Clock,
  workspaceId: string,
  id: string,
): Promise<RevokeResult> {
  return withTransaction(store, async (tx) => {
    const now = clock.now();
    // The key and every unrevoked admin key of the workspace, locked in one statement in
    // id order on PostgreSQL: two admins revoking each other's keys at once then take
    // turns (the second sees the first's revocation) instead of both succeeding and
    // leaving none, and cannot deadlock. SQLite's BEGIN IMMEDIATE serializes them anyway.
    let query = tx
      .selectFrom('api_keys')
      .select(COLUMNS)
      .where('workspace_id', '=', workspaceId)
      .where((eb) =>
        eb.or([
          eb('id', '=', id),
          eb.and([eb('scope', '=', 'admin'), eb('revoked_at', 'is', null)]),
        ]),
      )
      .orderBy('id');
    if (store.kind === 'postgres') query = query.forUpdate();
    const rows = await query.execute();
    const row = rows.find((r) => r.id === id);
    if (!row) return { kind: 'not_found' };
    if (row.revoked_at !== null) return { kind: 'revoked', key: keyInfo(row, now) };
    if (row.scope === 'admin' && keyStatus(row, now) === 'active') {
      const others = rows.filter((r) => r.id !== id && keyStatus(r, now) === 'active');
      if (others.length === 0) return { kind: 'last_admin' };
    }
    await tx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).execute();
    await recordChanges(tx, [{ workspaceId, topic: 'key', subject: id }], now);
    return { kind: 'revoked', key: keyInfo({ ...row, revoked_at: now }, now) };
  });
}

/**
 * Replaces a key: a new key with the same scope and name (and, if the old key had an
 * expiry, the same lifetime from now), while the old one keeps working for `graceMs`
 * (0: it stops now) so clients can switch over. An earlier expiry of the old key stands.
 * The new key is returned once, here.
 */
export async function rotateApiKey(
  store: Store,
  clock: Clock,
  workspaceId: string,
  id: string,
  options: { graceMs: number },
): Promise<RotateResult> {
  return withTransaction(store, async (tx) => {
    const now = clock.now();
    const row = await lockedKey(store, tx, workspaceId, id);
    if (!row) return { kind: 'not_found' };
    if (keyStatus(row, now) !== 'active') return { kind: 'inactive', key: keyInfo(row, now) };
    const lifetime = row.expires_at === null ? null : row.expires_at - row.created_at;
    const created = await createApiKey(tx, clock, {
      workspaceId,
      scope: row.scope,
      name: row.name,
      expiresAt: lifetime === null ? null : now + lifetime,
    });
    const retiresAt = Math.min(row.expires_at ?? Infinity, now + options.graceMs);
    await tx.updateTable('api_keys').set({ expires_at: retiresAt }).where('id', '=', id).execute();
    await recordChanges(tx, [{ workspaceId, topic: 'key', subject: id }], now);
    return { kind: 'rotated', created, previous: keyInfo({ ...row, expires_at: retiresAt }, now) };
  });
}
