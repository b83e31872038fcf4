import type { Insertable, Kysely } from 'kysely';
import type { Database, DecisionsTable, Store } from '../store/index.js';
import { withLazyCommitTransaction } from '../store/index.js';

export type DecisionRow = Insertable<DecisionsTable>;

/**
 * Group commit for decision rows that need nothing else in their transaction (no budget,
 * no code, no dedupe key): concurrent decides share one INSERT and one commit, the way
 * the event writer shares an fsync. Each caller still waits for its row to commit, and
 * the commit does not wait for the disk (`withLazyCommitTransaction`): a decision is in
 * the log before its answer leaves, survives a crash of the process, and is on disk
 * before any later event (the click or order that rewards it) is.
 */
export class DecisionWriter {
  private queue: { row: DecisionRow; done: (e?: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly store: Store) {}

  write(row: DecisionRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        row,
        done: (e) =>
          e === undefined
            ? resolve()
            : reject(e instanceof Error ? e : new Error('decision write failed')),
      });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 500);
      try {
        await withLazyCommitTransaction(this.store, (tx) =>
          tx
            .insertInto('decisions')
            .values(batch.map((b) => b.row))
            .execute(),
        );
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.done(error);
      }
    }
    this.flushing = null;
  }

  /** Waits for every queued row. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
  }
}

export async function decisionByKey(db: Kysely<Database>, workspaceId: string, dedupeKey: string) {
  return db
    .selectFrom('decisions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirst();
}

export async function decisionById(db: Kysely<Database>, workspaceId: string, id: string) {
  return db
    .selectFrom('decisions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A person's shown (not holdout) decisions of capped `offers` that caps can still count. */
export async function capHistory(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  offers: readonly string[],
  since: number,
): Promise<{ offer_id: string; created_at: number; redeemed_at: number | null }[]> {
  return db
    .selectFrom('decisions')
    .select(['offer_id', 'created_at', 'redeemed_at'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .where('offer_id', 'in', offers)
    .where('holdout', '=', 0)
    .where((eb) => eb.or([eb('created_at', '>', since), eb('redeemed_at', 'is not', null)]))
    .execute();
}
