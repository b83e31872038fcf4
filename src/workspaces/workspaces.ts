import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { Clock } from '../shared/index.js';
import { ensureWebhookSecret } from './webhook-secret.js';

export const DEFAULT_WORKSPACE_ID = 'default';

/**
 * Creates the default workspace on first start, with its webhook signing secret (webhooks
 * are signed from the start); a no-op afterwards.
 */
export async function ensureDefaultWorkspace(db: Kysely<Database>, clock: Clock): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({ id: DEFAULT_WORKSPACE_ID, name: 'Default', created_at: clock.now() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await ensureWebhookSecret(db, clock, DEFAULT_WORKSPACE_ID);
}

export async function workspaceExists(db: Kysely<Database>, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

/** Every workspace's id, for the loops that visit each one. */
export async function listWorkspaceIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('workspaces').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}
