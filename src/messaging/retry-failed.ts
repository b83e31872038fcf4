import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** The statuses `rapport messages retry` may resend: failed, or given up after retries. */
export const RETRYABLE_STATUSES = ['failed', 'dead'] as const;
export type RetryableStatus = (typeof RETRYABLE_STATUSES)[number];

// Failures no setting or template fix can change: the stored message itself is broken.
// Bounced, skipped (consent, suppressions, quiet hours), capped and suppressed messages
// are other statuses and never selected: the person's "no" stands.
const UNFIXABLE = [/^unreadable payload/, /^inline content is not a valid/];

export interface RetryFilter {
  statuses: readonly RetryableStatus[];
  /** Only messages created at or after this time (ms). */
  since?: number | undefined;
  journeyId?: string | undefined;
  /** At most this many per call. */
  limit: number;
}

export interface RetriedMessage {
  id: string;
  journeyId: string | null;
  was: string;
  reason: string | null;
}

/**
 * Puts failed messages back in the outbox, as new: status `queued`, attempts 0, due now.
 * They go through the sender again, consent and policy included, so a person who said
 * no since is skipped then. Each gets a history entry; a message already queued again
 * (a second run, another process) is not touched twice, since the update names the
 * status it found. Returns what it requeued and how many were left as unfixable.
 */
export async function retryFailedMessages(
  db: Kysely<Database>,
  workspaceId: string,
  filter: RetryFilter,
  now: number,
): Promise<{ retried: RetriedMessage[]; unfixable: number }> {
  let q = db
    .selectFrom('messages')
    .select(['id', 'journey_id', 'status', 'reason'])
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', [...filter.statuses]);
  if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since);
  if (filter.journeyId !== undefined) q = q.where('journey_id', '=', filter.journeyId);
  const rows = await q.orderBy('created_at').orderBy('id').limit(filter.limit).execute();
  const retried: RetriedMessage[] = [];
  let unfixable = 0;
  for (const r of rows) {
    const reason = r.reason;
    if (reason !== null && UNFIXABLE.some((p) => p.test(reason))) {
      unfixable++;
      continue;
    }
    const res = await db
      .updateTable('messages')
      .set({
        status: 'queued',
        attempts: 0,
        next_attempt_at: now,
        locked_until: null,
        reason: null,
        updated_at: now,
      })
      .where('id', '=', r.id)
      .where('status', '=', r.status)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) continue;
    await db
      .insertInto('message_events')
      .values({
        message_id: r.id,
        status: 'queued',
        detail: `retried (was ${r.status}: ${r.reason ?? 'no reason'})`.slice(0, 2000),
        at: now,
      })
      .execute();
    retried.push({ id: r.id, journeyId: r.journey_id, was: r.status, reason: r.reason });
  }
  return { retried, unfixable };
}
