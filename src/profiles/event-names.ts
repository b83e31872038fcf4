import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** Names looked at for a "did you mean": enough for any real tracking plan. */
const MAX_NAMES = 2000;

/** Whether the workspace's log holds an event of this name (one index probe). */
export async function eventNameSeen(
  db: Kysely<Database>,
  workspaceId: string,
  name: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('events')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('event', '=', name)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The distinct event names of a workspace's log, in order, at most 2,000. Each step of
 * the recursion jumps to the next name on the (workspace_id, event, id) index, so the
 * cost is one probe per name, not a scan of the log.
 */
export async function seenEventNames(db: Kysely<Database>, workspaceId: string): Promise<string[]> {
  const result = await sql<{ name: string | null }>`
    WITH RECURSIVE names(name, n) AS (
      SELECT (SELECT MIN(event) FROM events WHERE workspace_id = ${workspaceId}), 1
      UNION ALL
      SELECT (SELECT MIN(event) FROM events WHERE workspace_id = ${workspaceId} AND event > names.name), n + 1
      FROM names WHERE names.name IS NOT NULL AND n < ${MAX_NAMES}
    )
    SELECT name FROM names WHERE name IS NOT NULL`.execute(db);
  return result.rows.map((r) => r.name!);
}
