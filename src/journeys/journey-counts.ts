import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** A workspace's journeys in each status (draft, active, paused, archived). */
export async function journeyCountsByStatus(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('journeys')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
