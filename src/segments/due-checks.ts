import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/**
 * When the oldest (segment, person) check due at `now` fell due (null: none is), over
 * every workspace: how far the segment-checks loop is behind. One probe of the
 * `segment_checks_due` index.
 */
export async function oldestDueCheck(db: Kysely<Database>, now: number): Promise<number | null> {
  const row = await db
    .selectFrom('segment_checks')
    .select((eb) => eb.fn.min<number | string | null>('due_at').as('oldest'))
    .where('due_at', '<=', now)
    .executeTakeFirstOrThrow();
  return row.oldest === null ? null : Number(row.oldest);
}
