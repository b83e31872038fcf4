import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';

/** Hashes an identifier (`email`, `a@b.example`) under a workspace's erasure salt. */
export type IdentifierHasher = (kind: string, value: string) => string;

// The salt never changes once written, so a store's handle may keep it for its lifetime
// (keyed by handle: tests open many stores whose workspaces share ids).
const salts = new WeakMap<object, Map<string, string>>();

/**
 * The workspace's erasure salt (created on first use, kept in its secrets so every process
 * hashes alike), as a hasher. Tombstones and suppressed addresses of erased people are
 * kept only as these hashes: without the salt a hash cannot be matched against a guessed
 * address list taken elsewhere.
 */
export async function erasureHasher(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<IdentifierHasher> {
  let known = salts.get(db);
  if (!known) salts.set(db, (known = new Map<string, string>()));
  let salt = known.get(workspaceId);
  if (!salt) {
    const read = () =>
      db
        .selectFrom('workspace_secrets')
        .select('value')
        .where('workspace_id', '=', workspaceId)
        .where('kind', '=', 'erasure')
        .executeTakeFirst();
    let row = await read();
    if (!row) {
      await db
        .insertInto('workspace_secrets')
        .values({
          workspace_id: workspaceId,
          kind: 'erasure',
          value: randomBytes(32).toString('base64url'),
          created_at: clock.now(),
        })
        .onConflict((oc) => oc.columns(['workspace_id', 'kind']).doNothing())
        .execute();
      row = await read();
    }
    salt = row!.value;
    known.set(workspaceId, salt);
  }
  const key = salt;
  return (kind, value) => createHmac('sha256', key).update(`${kind}:${value}`).digest('hex');
}
