import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** People in a workspace: profiles not merged into another. */
export async function countProfiles(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('profiles')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('merged_into', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * How far the profile stage is behind, for a workspace or (no id) the whole store: the
 * events not yet folded into profiles, and when the oldest of them arrived (null: none
 * waiting). Reads the `events_pending` partial index, which holds only waiting events.
 * The overview route and `/metrics` both read it.
 */
export async function pipelineBacklog(
  db: Kysely<Database>,
  workspaceId?: string,
): Promise<{ pending: number; oldestReceivedAt: number | null }> {
  let q = db
    .selectFrom('events')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.min<number | string | null>('received_at').as('oldest'),
    ])
    .where('profile_id', 'is', null);
  if (workspaceId !== undefined) q = q.where('workspace_id', '=', workspaceId);
  const row = await q.executeTakeFirstOrThrow();
  return {
    pending: Number(row.n),
    oldestReceivedAt: row.oldest === null ? null : Number(row.oldest),
  };
}
