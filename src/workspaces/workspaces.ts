import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { Clock } from '../shared/index.js';

export const DEFAULT_WORKSPACE_ID = 'default';

/** Creates the default workspace on first start; a no-op afterwards. */
export async function ensureDefaultWorkspace(db: Kysely<Database>, clock: Clock): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({ id: DEFAULT_WORKSPACE_ID, name: 'Default', created_at: clock.now() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function workspaceExists(db: Kysely<Database>, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}
