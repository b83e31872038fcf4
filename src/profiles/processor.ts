import { sql } from 'kysely';
import { itemsFromEvent, upsertItems, type CatalogItemInput } from '../catalog/index.js';
import { newId, pushTo, type Clock } from '../shared/index.js';
import {
  isStoreUnavailable,
  withRetriedTransaction,
  withTransaction,
  type Store,
  type Tx,
} from '../store/index.js';
import { readIdentitySettings, type IdentitySettings } from '../workspaces/index.js';
import { applyEvent } from './computed/index.js';
import {
  DEFAULT_BLOCKED_VALUES,
  identifiersOf,
  isBlocked,
  resolveIdentity,
  type Identifier,
} from './identity/index.js';
import {
  runStages,
  type CommittedHook,
  type PipelineStage,
  type ProfileChange,
} from './pipeline-stage.js';
import { quarantineEvent } from './quarantine.js';
import { dropErased } from './tombstone-filter.js';
import { MAX_ATTEMPTS, settleBatch, type BatchResult } from './settle-batch.js';
import { toLoggedEvent, type LoggedEvent } from './stored-event.js';
import { WorkingSet } from './working-set.js';
import { writeBatch } from './write-batch.js';

export interface ProcessorOptions {
  /** Most events one batch (one transaction) takes. */
  batchSize?: number;
  /**
   * How long one batch should hold the store, in ms: the batch size adapts to what
   * events cost lately, so that events arriving meanwhile (and, on SQLite, ingestion,
   * which waits for the one connection) wait about this long at most.
   */
  targetBatchMs?: number;
  /** The stages after the profile stage, in order (see `PipelineStage`). */
  stages?: readonly PipelineStage[];
  /** In-memory followers of committed batches (recommendations). */
  afterCommit?: readonly CommittedHook[];
  /** Told when an event is quarantined (logs, metrics). */
  onQuarantine?: (entry: { eventId: number; error: string }) => void;
  /** Told when a committed hook throws. */
  onHookError?: (error: unknown) => void;
}

/** The fewest events a batch takes when it can: below that, per-batch work dominates. */
const MIN_BATCH = 20;

const UNATTRIBUTED = '';

/**
 * The profile stage: claims events the log holds but no profile has absorbed yet
 * (`profile_id IS NULL`), resolves each to a person through the identity graph, folds
 * it into that person's facts and marks it processed, in one transaction per batch.
 * Workers on PostgreSQL claim with SKIP LOCKED and lock the profiles they touch, so
 * several can run at once; a unique-key race between them is retried.
 */
export class ProfileProcessor {
  private readonly batchSize: number;
  private readonly targetBatchMs: number;
  /** Recent cost of one event, in ms (exponentially weighted); null before any batch. */
  private msPerEvent: number | null = null;
  readonly stages: readonly PipelineStage[];
  private readonly afterCommit: readonly CommittedHook[];
  private settingsCache = new Map<string, { at: number; settings: IdentitySettings }>();
  private readonly onQuarantine: ProcessorOptions['onQuarantine'];
  private readonly onHookError: ProcessorOptions['onHookError'];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    options: ProcessorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.targetBatchMs = options.targetBatchMs ?? 200;
    this.stages = options.stages ?? [];
    this.afterCommit = options.afterCommit ?? [];
    this.onQuarantine = options.onQuarantine;
    this.onHookError = options.onHookError;
  }

  /**
   * Processes one batch; resolves with what it did (0 events = nothing pending). When the
   * batch fails for a reason other than the store being unavailable, its events are
   * split until the ones that fail alone are found; each is retried a bounded number of
   * times, then quarantined, and the rest are processed: one bad event never stalls the
   * events behind it.
   */
  async processBatch(): Promise<BatchResult> {
    const limit = this.nextBatchSize();
    const started = performance.now();
    let claimed: number[] = [];
    let outcome: { result: BatchResult; changes: readonly ProfileChange[] };
    try {
      outcome = await this.attempt(limit, undefined, (ids) => (claimed = ids));
    } catch (error) {
      if (claimed.length === 0 || isStoreUnavailable(error)) throw error;
      return settleBatch(claimed, {
        attempt: async (ids) => {
          const retried = await this.attempt(ids.length, ids);
          this.committed(retried.changes);
          return retried.result;
        },
        quarantine: (eventId, error) => this.quarantine(eventId, error),
      });
    }
    this.committed(outcome.changes);
    // Batches smaller than the minimum are mostly fixed cost: they would overstate
    // what an event costs.
    const { result } = outcome;
    if (result.events >= Math.min(MIN_BATCH, limit)) {
      const cost = (performance.now() - started) / result.events;
      this.msPerEvent = this.msPerEvent === null ? cost : 0.7 * this.msPerEvent + 0.3 * cost;
    }
    return result;
  }

  /** One transaction over the next pending events, or over these pending ids. */
  private async attempt(
    limit: number,
    ids: readonly number[] | undefined,
    onClaim?: (ids: number[]) => void,
  ): Promise<{ result: BatchResult; changes: readonly ProfileChange[] }> {
    return withRetriedTransaction(this.store, (tx) => this.runBatch(tx, limit, ids, onClaim));
  }

  /** Sets an event aside with the error that stopped it; the pipeline goes on. */
  private async quarantine(eventId: number, error: unknown): Promise<void> {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await withTransaction(this.store, async (tx) => {
      const row = await tx
        .selectFrom('events')
        .select('workspace_id')
        .where('id', '=', eventId)
        .executeTakeFirst();
      if (!row) return;
      await quarantineEvent(tx, {
        eventId,
        workspaceId: row.workspace_id,
        error: message,
        attempts: MAX_ATTEMPTS,
        now: this.clock.now(),
      });
    });
    this.onQuarantine?.({ eventId, error: message });
  }

  /**
   * In-memory followers of committed batches. The batch is durable whatever they do, so
   * one that throws is reported, not allowed to fail the batch.
   */
  private committed(changes: readonly ProfileChange[]): void {
    for (const hook of this.afterCommit) {
      try {
        hook(changes);
      } catch (error) {
        this.onHookError?.(error);
      }
    }
  }

  /** How many events the next batch takes: as many as fit the target duration. */
  nextBatchSize(): number {
    if (this.msPerEvent === null || this.msPerEvent <= 0) return this.batchSize;
    const fit = Math.floor(this.targetBatchMs / this.msPerEvent);
    return Math.max(Math.min(MIN_BATCH, this.batchSize), Math.min(this.batchSize, fit));
  }

  /** Processes until nothing is pending. */
  async drain(onBatch?: (r: BatchResult) => void): Promise<number> {
    let total = 0;
    for (;;) {
      const r = await this.processBatch();
      if (r.events === 0) return total;
      total += r.events;
      onBatch?.(r);
    }
  }

  async pendingCount(): Promise<number> {
    const row = await this.store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('profile_id', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Reads through the batch's transaction: on SQLite the store has one connection, which
   * the transaction holds, so reading through `store.db` here would wait forever.
   */
  private async settings(tx: Tx, workspaceId: string): Promise<IdentitySettings> {
    const now = this.clock.now();
    const hit = this.settingsCache.get(workspaceId);
    if (hit && now - hit.at < 5_000) return hit.settings;
    const settings = await readIdentitySettings(tx, workspaceId);
    this.settingsCache.set(workspaceId, { at: now, settings });
    return settings;
  }

  private async runBatch(
    tx: Tx,
    limit: number,
    ids: readonly number[] | undefined,
    onClaim: ((ids: number[]) => void) | undefined,
  ): Promise<{ result: BatchResult; changes: readonly ProfileChange[] }> {
    const rows = await tx
      .selectFrom('events')
      .selectAll()
      .where('profile_id', 'is', null)
      .$call((q) => (ids ? q.where('id', 'in', ids) : q))
      .orderBy('id')
      .limit(limit)
      .$call((q) => (this.store.kind === 'postgres' ? q.forUpdate().skipLocked() : q))
      .execute();
    onClaim?.(rows.map((r) => r.id));
    if (rows.length === 0) return { result: { events: 0, profiles: 0, merges: 0 }, changes: [] };
    const now = this.clock.now();
    const byWorkspace = new Map<string, LoggedEvent[]>();
    for (const row of rows) {
      const e = toLoggedEvent(row);
      pushTo(byWorkspace, e.workspaceId, e);
    }
    const result: BatchResult = { events: rows.length, profiles: 0, merges: 0 };
    const changes: ProfileChange[] = [];
    for (const [workspaceId, all] of byWorkspace) {
      const events = await dropErased(tx, this.clock, workspaceId, all);
      if (events.length === 0) continue;
      const r = await this.processWorkspace(tx, workspaceId, events, now);
      result.profiles += r.changes.length;
      result.merges += r.merges;
      changes.push(...r.changes);
    }
    return { result, changes: await runStages(tx, this.stages, changes, now) };
  }

  private async processWorkspace(
    tx: Tx,
    workspaceId: string,
    events: LoggedEvent[],
    now: number,
  ): Promise<{ changes: ProfileChange[]; merges: number }> {
    const settings = await this.settings(tx, workspaceId);
    const blocked = new Set([
      ...DEFAULT_BLOCKED_VALUES,
      ...settings.blockedValues.map((v) => v.trim().toLowerCase()),
    ]);
    const limits = settings.limits;
    const ws = new WorkingSet(workspaceId);

    const idsOf = (e: LoggedEvent): Identifier[] => identifiersOf(e, blocked);
    const aliasIds = (e: LoggedEvent): Identifier[] =>
      e.previousId !== null && !isBlocked(e.previousId, blocked)
        ? [
            { kind: 'user_id', value: e.previousId },
            { kind: 'anonymous_id', value: e.previousId },
          ]
        : [];
    await ws.load(
      tx,
      events.flatMap((e) => [...idsOf(e), ...aliasIds(e)]),
      this.store.kind === 'postgres',
    );

    const assigned = new Map<string, number[]>();
    const touched = new Map<string, LoggedEvent[]>();
    const mergedInBatch = new Map<string, string[]>();
    const catalog: CatalogItemInput[] = [];

    for (const e of events) {
      let ids = idsOf(e);
      if (e.type === 'alias' && e.previousId !== null) {
        // previousId is whatever id the person had before: a user id if one is known,
        // else an anonymous id.
        const prev = aliasIds(e);
        const known = prev.find((p) => ws.ownerOf(p) !== undefined);
        ids = [...ids, known ?? prev[1]!].filter(Boolean);
      }
      const decision = resolveIdentity(ids, ws, limits, { explicitMerge: e.type === 'alias' });
      if (decision.kind === 'none') {
        pushTo(assigned, UNATTRIBUTED, e.id);
        continue;
      }
      const profile =
        decision.profileId === null
          ? ws.create(newId('prf'), now)
          : ws.profiles.get(decision.profileId)!;
      for (const loser of decision.merge) {
        ws.merge(
          profile.id,
          loser,
          e.messageId,
          e.type === 'alias' ? 'alias' : 'shared identifier',
        );
        pushTo(mergedInBatch, profile.id, loser);
        // Events of the loser already in this batch now belong to the winner.
        const moved = touched.get(loser);
        if (moved) {
          touched.delete(loser);
          for (const m of moved) pushTo(touched, profile.id, m);
        }
        const movedIds = assigned.get(loser);
        if (movedIds) {
          assigned.delete(loser);
          for (const id of movedIds) pushTo(assigned, profile.id, id);
        }
      }
      for (const id of decision.attach) ws.attach(profile.id, id);
      profile.facts = applyEvent(profile.facts, e);
      profile.dirty = true;
      pushTo(assigned, profile.id, e.id);
      pushTo(touched, profile.id, e);
      catalog.push(...itemsFromEvent(e.event, e.properties));
    }

    await writeBatch(tx, this.store.kind, ws, assigned, now);
    if (catalog.length > 0) await upsertItems(tx, workspaceId, catalog, now);

    const changes: ProfileChange[] = [];
    for (const [profileId, evs] of touched) {
      const p = ws.profiles.get(profileId)!;
      changes.push({
        workspaceId,
        profileId,
        facts: p.facts,
        events: evs,
        merged: mergedInBatch.get(profileId) ?? [],
        created: p.isNew,
      });
    }
    return { changes, merges: ws.merges.length };
  }
}

/** Used by tests and the CLI to wait for the profile stage. */
export async function countPending(store: Store): Promise<number> {
  const r = await sql<{
    n: number | string;
  }>`SELECT count(*) AS n FROM events WHERE profile_id IS NULL`.execute(store.db);
  return Number(r.rows[0]?.n ?? 0);
}
