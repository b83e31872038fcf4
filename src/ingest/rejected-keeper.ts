import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Clock } from '../shared/index.js';
import type { Database, RejectedRow } from '../store/index.js';
import { truncateRaw } from './rejected-text.js';

export interface RejectedPolicy {
  /** Rows kept per workspace; refusals past it are dropped (and counted). */
  maxPerWorkspace: number;
  /** Bytes of a refused element's text kept; longer ones are cut with a marker. */
  maxRawBytes: number;
  /** Rows older than this are deleted by {@link RejectedKeeper.cleanupStep}. */
  retentionMs: number;
}

export interface RejectedCounters {
  /** Refused elements not stored because their workspace was at its cap. */
  dropped(n: number): void;
  /** Refused elements stored with their text cut. */
  truncated(n: number): void;
  /** Rows deleted by the cleanup, past retention or over the cap. */
  deleted(reason: 'retention' | 'cap', n: number): void;
}

/** Rows deleted per statement: short transactions that never hold the writer for long. */
export const CLEANUP_BATCH = 1000;
/** How long a process trusts its running count before reading the store's again. */
const RECOUNT_MS = 60_000;

interface Tally {
  rows: number;
  countedAt: number;
}

/**
 * Bounds what refused batch elements cost: each is cut to a size, each workspace keeps
 * at most a number of them, and old ones are deleted.
 *
 * The cap is checked without a query per request: each process keeps a running count
 * per workspace, read from the store (a bounded count) on first use and again every
 * minute, and advanced as it admits rows. Several API processes can each admit up to
 * the cap between recounts, so the cleanup also trims every workspace back to it: the
 * count is approximate, the bound on disk is not.
 */
export class RejectedKeeper {
  private readonly tallies = new Map<string, Tally>();
  private readonly loading = new Map<string, Promise<Tally>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly policy: RejectedPolicy,
    private readonly counters: RejectedCounters,
    /** Every workspace's id (the workspaces module's; given by the composition root). */
    private readonly workspaceIds: () => Promise<readonly string[]>,
  ) {}

  /** The rows to store, in order: cut to size, and no more than the workspace has room for. */
  async admit(workspaceId: string, rows: readonly RejectedRow[]): Promise<RejectedRow[]> {
    if (rows.length === 0) return [];
    const tally = this.policy.maxPerWorkspace > 0 ? await this.tally(workspaceId) : null;
    // From here on synchronous: concurrent requests reserve their rows one after another.
    const room = tally ? Math.max(0, this.policy.maxPerWorkspace - tally.rows) : 0;
    const kept = rows.slice(0, room);
    if (tally) tally.rows += kept.length;
    if (kept.length < rows.length) this.counters.dropped(rows.length - kept.length);
    let truncated = 0;
    const out = kept.map((row) => {
      const cut = truncateRaw(row.raw, this.policy.maxRawBytes);
      if (!cut.truncated) return row;
      truncated++;
      return { ...row, raw: cut.raw };
    });
    if (truncated > 0) this.counters.truncated(truncated);
    return out;
  }

  /**
   * One round of cleanup: deletes a batch of rows past retention, then trims each
   * workspace over its cap by a batch. Returns true while there may be more to delete,
   * so a WorkLoop runs it again at once.
   */
  async cleanupStep(): Promise<boolean> {
    const cutoff = this.clock.now() - this.policy.retentionMs;
    const expired = await this.deleteIds(
      this.db.selectFrom('rejected_events').select('id').where('received_at', '<', cutoff),
    );
    if (expired > 0) this.counters.deleted('retention', expired);
    let more = expired === CLEANUP_BATCH;
    let deleted = expired;
    // Refusals are only stored for authenticated workspaces: the (small) workspaces
    // table names them all, where a DISTINCT over the refusals would read every row.
    for (const id of await this.workspaceIds()) {
      const trimmed = await this.trim(id);
      if (trimmed > 0) this.counters.deleted('cap', trimmed);
      if (trimmed === CLEANUP_BATCH) more = true;
      deleted += trimmed;
    }
    // Freed room is seen by the next request rather than after the next recount.
    if (deleted > 0) this.tallies.clear();
    return more;
  }

  /** Deletes the oldest rows of a workspace beyond its cap, a batch at most. */
  private async trim(workspaceId: string): Promise<number> {
    // The newest row past the cap, found through the (workspace_id, id) index.
    const edge = await this.db
      .selectFrom('rejected_events')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .orderBy('id', 'desc')
      .limit(1)
      .offset(this.policy.maxPerWorkspace)
      .executeTakeFirst();
    if (!edge) return 0;
    return this.deleteIds(
      this.db
        .selectFrom('rejected_events')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('id', '<=', edge.id),
    );
  }

  /** Deletes the first batch (oldest first) of the ids a query selects. */
  private async deleteIds(
    ids: SelectQueryBuilder<Database, 'rejected_events', { id: number }>,
  ): Promise<number> {
    const result = await this.db
      .deleteFrom('rejected_events')
      .where('id', 'in', ids.orderBy('id').limit(CLEANUP_BATCH))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private async tally(workspaceId: string): Promise<Tally> {
    const now = this.clock.now();
    const known = this.tallies.get(workspaceId);
    if (known && now - known.countedAt < RECOUNT_MS) return known;
    let pending = this.loading.get(workspaceId);
    if (!pending) {
      pending = this.count(workspaceId, now).finally(() => this.loading.delete(workspaceId));
      this.loading.set(workspaceId, pending);
    }
    return pending;
  }

  /** Rows stored for the workspace, counted no further than the cap. */
  private async count(workspaceId: string, now: number): Promise<Tally> {
    const row = await this.db
      .selectFrom((eb) =>
        eb
          .selectFrom('rejected_events')
          .select('id')
          .where('workspace_id', '=', workspaceId)
          .limit(this.policy.maxPerWorkspace)
          .as('capped'),
      )
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    const tally = { rows: Number(row.n), countedAt: now };
    this.tallies.set(workspaceId, tally);
    return tally;
  }
}
