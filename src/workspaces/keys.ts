import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { newId, type Clock } from '../shared/index.js';

export const KeyScope = z.enum(['write', 'read', 'admin']);
export type KeyScope = z.infer<typeof KeyScope>;

export interface CreatedKey {
  id: string;
  key: string;
  scope: KeyScope;
  workspaceId: string;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Whether a key of scope `held` may call an endpoint needing `needed`. Admin may do all. */
export function scopeAllows(held: KeyScope, needed: KeyScope): boolean {
  return held === 'admin' || held === needed;
}

/**
 * Creates a key and stores only its hash. The plain key is returned once, here.
 * @example
 * const { key } = await createApiKey(db, clock, { workspaceId: 'default', scope: 'write' });
 */
export async function createApiKey(
  db: Kysely<Database>,
  clock: Clock,
  input: { workspaceId: string; scope: KeyScope },
): Promise<CreatedKey> {
  const key = `rk_${input.scope}_${randomBytes(24).toString('base64url')}`;
  const id = newId('key');
  await db
    .insertInto('api_keys')
    .values({
      id,
      workspace_id: input.workspaceId,
      scope: input.scope,
      key_hash: hashKey(key),
      prefix: key.slice(0, 12),
      created_at: clock.now(),
      revoked_at: null,
    })
    .execute();
  return { id, key, scope: input.scope, workspaceId: input.workspaceId };
}
