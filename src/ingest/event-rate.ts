import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';

const MINUTE = 60_000;

/**
 * Events a workspace received in each of the `minutes` whole minutes up to `now`
 * (oldest first, the current partial minute last), by arrival time: what the dashboard's
 * chart shows. Reads the `events_received` index, one group per minute.
 */
export async function eventsPerMinute(
  db: Kysely<Database>,
  workspaceId: string,
  now: number,
  minutes: number,
): Promise<{ start: number; counts: number[] }> {
  const last = Math.floor(now / MINUTE);
  const first = last - minutes + 1;
  const minute = sql<number | string>`received_at / ${sql.lit(MINUTE)}`;
  const rows = await db
    .selectFrom('events')
    .select([minute.as('minute'), (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('received_at', '>=', first * MINUTE)
    .where('received_at', '<', (last + 1) * MINUTE)
    .groupBy(minute)
    .execute();
  const counts = new Array<number>(minutes).fill(0);
  for (const row of rows) {
    // Integer division on both stores; floor guards a store that answers a fraction.
    const i = Math.floor(Number(row.minute)) - first;
    if (i >= 0 && i < minutes) counts[i] = (counts[i] ?? 0) + Number(row.n);
  }
  return { start: first * MINUTE, counts };
}
