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

/**
 * When the oldest timer that is due at `now` fell due (null: none is), over every
 * workspace: how far the journey-timers loop is behind. One probe of the `journey_runs_due`
 * partial index.
 */
export async function oldestDueTimer(db: Kysely<Database>, now: number): Promise<number | null> {
  const row = await db
    .selectFrom('journey_runs')
    .select((eb) => eb.fn.min<number | string | null>('wake_at').as('oldest'))
    .where('wake_at', 'is not', null)
    .where('wake_at', '<=', now)
    .executeTakeFirstOrThrow();
  return row.oldest === null ? null : Number(row.oldest);
}
