import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

export interface OutboxBacklog {
  /** Messages still to deliver (queued, retry, sending), by status and channel. */
  depth: { status: string; channel: string; count: number }[];
  /** When the oldest message due at `now` fell due; null when none is. */
  oldestDueAt: number | null;
}

/**
 * The outbox still to deliver, over every workspace. Only undelivered messages carry a
 * `next_attempt_at`, so both queries read the `messages_due` partial index and never
 * the delivered history.
 */
export async function outboxBacklog(db: Kysely<Database>, now: number): Promise<OutboxBacklog> {
  const rows = await db
    .selectFrom('messages')
    .select(['status', 'channel', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('next_attempt_at', 'is not', null)
    .groupBy(['status', 'channel'])
    .execute();
  const due = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.min<number | string | null>('next_attempt_at').as('oldest'))
    .where('next_attempt_at', 'is not', null)
    .where('next_attempt_at', '<=', now)
    .executeTakeFirstOrThrow();
  return {
    depth: rows.map((r) => ({ status: r.status, channel: r.channel, count: Number(r.n) })),
    oldestDueAt: due.oldest === null ? null : Number(due.oldest),
  };
}
