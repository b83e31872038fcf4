import {
  liveFactsOf,
  liveProfilePage,
  type Appended,
  type ModelCache,
  type PipelineStage,
  type ProfileChange,
} from '../profiles/index.js';
import { groupBy, type Clock } from '../shared/index.js';
import { skipLocked, withRetriedTransaction, type Store, type Tx } from '../store/index.js';
import { deletePairs, evaluateAndApply, type EvaluationTarget } from './apply.js';
import type { SegmentRegistry } from './registry.js';
import { sql } from 'kysely';

/**
 * The segments stage of the pipeline. It runs in the profile batch's transaction: only segments the batch's events can affect are evaluated (the dependency
 * index), so membership changes commit with the events that caused them. Its loops
 * re-check (segment, person) pairs when a time window expires, and back-fill new or
 * changed segments from history.
 */
export class SegmentStage {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly registry: SegmentRegistry,
    private readonly models: ModelCache,
  ) {}

  /**
   * The pipeline stage: evaluates, for each changed person, the segments their events can
   * affect (all of them for a new, merged or unmerged person), and hands on the changes
   * with the Segment Entered/Exited events it appended and the facts those changed, so
   * later stages (journeys) see them.
   */
  readonly stage: PipelineStage = {
    name: 'segments',
    run: async (tx, changes, now) => {
      const derived = new Map<ProfileChange, Appended>();
      for (const [workspaceId, list] of groupBy(changes, (c) => c.workspaceId)) {
        const ws = await this.registry.get(tx, workspaceId);
        const merged = list.flatMap((c) => c.merged);
        if (merged.length > 0) await this.forget(tx, workspaceId, merged);
        if (ws.ordered.length === 0) continue;
        const targets: EvaluationTarget[] = [];
        for (const c of list) {
          // A new person, a merge or an unmerge: every condition may have changed.
          const segments =
            c.created || c.merged.length > 0 || c.events.length === 0
              ? 'all'
              : ws.affectedBy(c.events);
          if (segments === 'all' || segments.size > 0)
            targets.push({ profileId: c.profileId, facts: c.facts, segments });
        }
        const model = await this.models.get(workspaceId, tx);
        const result = await evaluateAndApply(
          tx,
          this.store.kind,
          ws,
          workspaceId,
          targets,
          now,
          model,
        );
        for (const c of list) {
          const emitted = result.emitted.get(c.profileId);
          if (emitted) derived.set(c, emitted);
        }
      }
      if (derived.size === 0) return changes;
      return changes.map((c) => {
        const emitted = derived.get(c);
        return emitted
          ? { ...c, events: [...c.events, ...emitted.logged], facts: emitted.facts ?? c.facts }
          : c;
      });
    },
  };

  /** Profiles merged away are no longer anyone: drop their memberships and checks. */
  private async forget(tx: Tx, workspaceId: string, profileIds: string[]): Promise<void> {
    await tx
      .deleteFrom('segment_members')
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', profileIds)
      .execute();
    await tx
      .deleteFrom('segment_checks')
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', profileIds)
      .execute();
  }

  /** Re-checks due (segment, person) pairs; resolves true if there was work. */
  async runDueChecks(limit = 500): Promise<boolean> {
    return withRetriedTransaction(this.store, async (tx) => {
      const now = this.clock.now();
      const due = await tx
        .selectFrom('segment_checks')
        .select(['workspace_id', 'segment_id', 'profile_id'])
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(limit)
        .modifyEnd(skipLocked(this.store))
        .execute();
      if (due.length === 0) return false;
      for (const [workspaceId, claimed] of groupBy(due, (d) => d.workspace_id)) {
        // Claimed checks are done; evaluating schedules each pair's next one afresh.
        await deletePairs(tx, 'segment_checks', workspaceId, claimed);
        const people = new Map<string, Set<string>>();
        for (const d of claimed) {
          let set = people.get(d.profile_id);
          if (!set) people.set(d.profile_id, (set = new Set()));
          set.add(d.segment_id);
        }
        const ws = await this.registry.get(tx, workspaceId);
        const facts = await liveFactsOf(tx, [...people.keys()], {
          lock: this.store.kind === 'postgres',
        });
        const targets: EvaluationTarget[] = [];
        for (const [profileId, segments] of people) {
          const f = facts.get(profileId);
          const live = [...segments].filter((id) => ws.byId.has(id));
          if (f && live.length > 0) targets.push({ profileId, facts: f, segments: new Set(live) });
        }
        const model = await this.models.get(workspaceId, tx);
        await evaluateAndApply(tx, this.store.kind, ws, workspaceId, targets, now, model);
      }
      return true;
    });
  }

  /**
   * Back-fills the segments of one workspace whose members have not been computed for
   * their current version: one pass over the live profiles evaluates all of them together
   * (creating fifty segments costs one scan, not fifty). Resolves true while work remains.
   */
  async backfillStep(pageSize = 500): Promise<boolean> {
    const first = await this.store.db
      .selectFrom('segments')
      .select('workspace_id')
      .where('deleted_at', 'is', null)
      .whereRef('backfilled_version', '<', 'version')
      .limit(1)
      .executeTakeFirst();
    if (!first) return false;
    const pending = await this.store.db
      .selectFrom('segments')
      .select(['id', 'version'])
      .where('workspace_id', '=', first.workspace_id)
      .where('deleted_at', 'is', null)
      .whereRef('backfilled_version', '<', 'version')
      .execute();
    await this.backfillSegments(
      first.workspace_id,
      new Map(pending.map((p) => [p.id, p.version])),
      pageSize,
    );
    return true;
  }

  private async backfillSegments(
    workspaceId: string,
    versions: Map<string, number>,
    pageSize: number,
  ) {
    let after = '';
    for (;;) {
      const more = await withRetriedTransaction(this.store, async (tx) => {
        const ws = await this.registry.get(tx, workspaceId);
        const only = new Set([...versions.keys()].filter((id) => ws.byId.has(id)));
        if (only.size === 0) return false;
        const rows = await liveProfilePage(tx, workspaceId, after, pageSize);
        if (rows.length === 0) return false;
        after = rows[rows.length - 1]!.id;
        const model = await this.models.get(workspaceId, tx);
        const now = this.clock.now();
        await evaluateAndApply(
          tx,
          this.store.kind,
          ws,
          workspaceId,
          rows.map((r) => ({ profileId: r.id, facts: r.facts, segments: only })),
          now,
          model,
        );
        return rows.length === pageSize;
      });
      if (!more) break;
    }
    // A segment edited meanwhile keeps its newer version pending and is back-filled again.
    for (const [segmentId, version] of versions) {
      await this.store.db
        .updateTable('segments')
        .set({ backfilled_version: version })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', segmentId)
        .where('version', '=', version)
        .execute();
    }
  }

  /** Back-fills every pending segment now (used by the CLI and tests). */
  async backfillAll(): Promise<void> {
    while (await this.backfillStep()) {
      // keep going
    }
  }

  async countDue(): Promise<number> {
    const r = await sql<{
      n: number | string;
    }>`SELECT count(*) AS n FROM segment_checks WHERE due_at <= ${this.clock.now()}`.execute(
      this.store.db,
    );
    return Number(r.rows[0]?.n ?? 0);
  }
}
