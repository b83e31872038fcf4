import { appendDerivedEventsMany, type Appended, type WorkspaceModel } from '../profiles/index.js';
import type { StoreKind, Tx } from '../store/index.js';
import { groupBy, pushTo } from '../shared/index.js';
import { DAY_MS } from './core/index.js';
import type { WorkspaceSegments } from './registry.js';
import { loadSubjects, needs, type ProfileState } from './subjects.js';

export const SEGMENT_ENTERED = 'Segment Entered';
export const SEGMENT_EXITED = 'Segment Exited';

export interface EvaluationTarget extends ProfileState {
  /** Segments to evaluate for this person; dependents of changed memberships follow. */
  segments: ReadonlySet<string> | 'all';
}

export interface Transition {
  profileId: string;
  segmentId: string;
  entered: boolean;
}

export interface ApplyResult {
  transitions: Transition[];
  /** Events appended per person and their facts afterwards, for later stages. */
  emitted: Map<string, Appended>;
  evaluations: number;
}

/**
 * Evaluates segments for a few people, writes membership changes, schedules the next
 * time-driven re-check of each (segment, person), and appends `Segment Entered` /
 * `Segment Exited` to their logs — all in the caller's transaction.
 */
export async function evaluateAndApply(
  tx: Tx,
  kind: StoreKind,
  ws: WorkspaceSegments,
  workspaceId: string,
  targets: readonly EvaluationTarget[],
  now: number,
  model: WorkspaceModel,
): Promise<ApplyResult> {
  const result: ApplyResult = { transitions: [], emitted: new Map(), evaluations: 0 };
  if (targets.length === 0 || ws.ordered.length === 0) return result;

  // Everything a target could end up evaluating: its segments and their dependents.
  const wanted = new Set<string>();
  for (const t of targets) {
    if (t.segments === 'all') {
      for (const s of ws.ordered) wanted.add(s.id);
      break;
    }
    for (const id of t.segments) {
      wanted.add(id);
      ws.dependentsOf(id, wanted);
    }
  }
  const need = needs([...wanted].map((id) => ws.byId.get(id)!).filter(Boolean));
  const subjects = await loadSubjects(tx, workspaceId, targets, need, now, model);

  const enter: { segment_id: string; profile_id: string }[] = [];
  const exit: { segment_id: string; profile_id: string }[] = [];
  const checks: { segment_id: string; profile_id: string; due_at: number }[] = [];
  const noChecks: { segment_id: string; profile_id: string }[] = [];
  for (const target of targets) {
    const subject = subjects.get(target.profileId)!;
    const todo = new Set(target.segments === 'all' ? ws.ordered.map((s) => s.id) : target.segments);
    for (const segment of ws.ordered) {
      if (!todo.has(segment.id)) continue;
      result.evaluations++;
      const member = segment.compiled(subject, now);
      const was = subject.segments.has(segment.id);
      if (member !== was) {
        const edge = { segment_id: segment.id, profile_id: target.profileId };
        (member ? enter : exit).push(edge);
        if (member) subject.segments.add(segment.id);
        else subject.segments.delete(segment.id);
        result.transitions.push({
          profileId: target.profileId,
          segmentId: segment.id,
          entered: member,
        });
        for (const d of ws.dependentsOf(segment.id)) todo.add(d);
      }
      let due = segment.compiled.nextCheckAt(subject, now);
      // Recency, RFM and lifecycle step at instants we can compute; CLV and p_alive drift
      // continuously, so such segments are also re-checked daily.
      if (segment.ageing)
        due = Math.min(due ?? Infinity, subject.traitsChangeAt ?? Infinity, now + DAY_MS);
      if (due === null || !Number.isFinite(due))
        noChecks.push({ segment_id: segment.id, profile_id: target.profileId });
      else checks.push({ segment_id: segment.id, profile_id: target.profileId, due_at: due });
    }
  }

  for (const e of chunks(enter)) {
    await tx
      .insertInto('segment_members')
      .values(e.map((x) => ({ ...x, workspace_id: workspaceId, since: now })))
      .onConflict((oc) => oc.columns(['workspace_id', 'segment_id', 'profile_id']).doNothing())
      .execute();
  }
  await deletePairs(tx, 'segment_members', workspaceId, exit);
  for (const c of chunks(checks)) {
    await tx
      .insertInto('segment_checks')
      .values(c.map((x) => ({ ...x, workspace_id: workspaceId })))
      .onConflict((oc) =>
        oc
          .columns(['workspace_id', 'segment_id', 'profile_id'])
          .doUpdateSet((eb) => ({ due_at: eb.ref('excluded.due_at') })),
      )
      .execute();
  }
  await deletePairs(tx, 'segment_checks', workspaceId, noChecks);

  const byProfile = groupBy(result.transitions, (t) => t.profileId);
  result.emitted = await appendDerivedEventsMany(
    tx,
    kind,
    workspaceId,
    [...byProfile].map(([profileId, transitions]) => ({
      profileId,
      events: transitions.map((t) => ({
        event: t.entered ? SEGMENT_ENTERED : SEGMENT_EXITED,
        timestamp: now,
        properties: {
          segment_id: t.segmentId,
          segment_name: ws.byId.get(t.segmentId)?.name ?? t.segmentId,
        },
      })),
    })),
    now,
  );
  return result;
}

/**
 * One statement per segment and chunk of people rather than per pair (a back-fill clears
 * ~40 pairs per person). Grouped by segment, each is an index range with an IN list, which
 * both stores plan well; a list of (segment, person) tuples made PostgreSQL OR together
 * one index scan per pair.
 */
export async function deletePairs(
  tx: Tx,
  table: 'segment_members' | 'segment_checks',
  workspaceId: string,
  pairs: readonly { segment_id: string; profile_id: string }[],
): Promise<void> {
  const bySegment = new Map<string, string[]>();
  for (const p of pairs) pushTo(bySegment, p.segment_id, p.profile_id);
  for (const [segmentId, profileIds] of bySegment) {
    for (const chunk of chunks(profileIds, 500)) {
      await tx
        .deleteFrom(table)
        .where('workspace_id', '=', workspaceId)
        .where('segment_id', '=', segmentId)
        .where('profile_id', 'in', chunk)
        .execute();
    }
  }
}

function* chunks<T>(list: readonly T[], size = 200): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}
