import type { Kysely } from 'kysely';
import { decodeJson } from '../shared/index.js';
import type { Database } from '../store/index.js';
import {
  SegmentDefinition,
  compile,
  dependencies,
  orderByReferences,
  type CompiledSegment,
  type Dependencies,
} from './core/index.js';

export interface LoadedSegment {
  id: string;
  name: string;
  kind: string;
  version: number;
  backfilledVersion: number;
  definition: SegmentDefinition;
  compiled: CompiledSegment;
  deps: Dependencies;
  /** Depends on computed traits that drift with time (recency, lifecycle, CLV...). */
  ageing: boolean;
}

/** Computed traits that change as time passes, with no new event. */
const AGEING = [
  'days_since_last_order',
  'lifecycle',
  'rfm',
  'p_alive',
  'clv_12m',
  'expected_orders_12m',
  'sessions_last_30d',
];
/** Computed traits only orders change; everything else may move with any event. */
const ORDER_ONLY = new Set([
  'order_count',
  'revenue',
  'aov',
  'refunded',
  'first_order_at',
  'last_order_at',
  'typical_days_between_orders',
  ...AGEING.filter((a) => a !== 'sessions_last_30d'),
]);
const ORDER_EVENTS = ['Order Completed', 'Order Refunded', 'Order Cancelled'];

/**
 * The segments of one workspace, compiled, in reference order, with the dependency index
 * that maps what changed about a person (event names, stated traits, computed traits,
 * other memberships) to the segments that can be affected.
 */
export class WorkspaceSegments {
  readonly ordered: LoadedSegment[];
  readonly byId: Map<string, LoadedSegment>;
  private readonly byEvent = new Map<string, Set<string>>();
  private readonly onAnyEvent = new Set<string>();
  private readonly onTraits = new Set<string>();
  private readonly dependents = new Map<string, Set<string>>();

  constructor(segments: LoadedSegment[]) {
    const map = new Map(segments.map((s) => [s.id, s]));
    const order = orderByReferences(new Map(segments.map((s) => [s.id, s.definition])));
    this.ordered = order.map((id) => map.get(id)!).filter(Boolean);
    this.byId = map;
    const add = (m: Map<string, Set<string>>, k: string, v: string) => {
      let set = m.get(k);
      if (!set) m.set(k, (set = new Set()));
      set.add(v);
    };
    for (const s of segments) {
      for (const name of s.deps.events) add(this.byEvent, name, s.id);
      if (s.deps.traits.length > 0) this.onTraits.add(s.id);
      for (const c of s.deps.computed) {
        const root = c.split('.')[0]!;
        if (ORDER_ONLY.has(root)) for (const e of ORDER_EVENTS) add(this.byEvent, e, s.id);
        else this.onAnyEvent.add(s.id);
      }
      for (const ref of s.deps.segments) add(this.dependents, ref, s.id);
    }
  }

  /** Segments a batch of a person's new events can change. */
  affectedBy(events: readonly { type: string; event: string | null }[]): Set<string> {
    const out = new Set<string>();
    if (events.length === 0) return out;
    for (const id of this.onAnyEvent) out.add(id);
    for (const e of events) {
      if (e.type === 'identify') for (const id of this.onTraits) out.add(id);
      if (e.event !== null) for (const id of this.byEvent.get(e.event) ?? []) out.add(id);
    }
    return out;
  }

  /** Segments that reference `segmentId`, transitively. */
  dependentsOf(segmentId: string, into = new Set<string>()): Set<string> {
    for (const d of this.dependents.get(segmentId) ?? []) {
      if (into.has(d)) continue;
      into.add(d);
      this.dependentsOf(d, into);
    }
    return into;
  }
}

function isAgeing(deps: Dependencies): boolean {
  return deps.computed.some((c) => AGEING.includes(c.split('.')[0]!));
}

/** A stored segment whose definition does not decode. */
export interface UnreadableSegment {
  workspaceId: string;
  segmentId: string;
  problem: string;
}

type SegmentRow = {
  id: string;
  name: string;
  kind: string;
  version: number;
  backfilled_version: number;
  definition: string;
};

/** A stored segment, compiled; its definition is decoded through `SegmentDefinition`. */
export function loadSegment(row: SegmentRow): LoadedSegment | { unreadable: string } {
  const decoded = decodeJson(SegmentDefinition, row.definition);
  if (decoded.kind === 'corrupt') return { unreadable: decoded.problem };
  const definition = decoded.value;
  const deps = dependencies(definition);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    version: row.version,
    backfilledVersion: row.backfilled_version,
    definition,
    compiled: compile(definition),
    deps,
    ageing: isAgeing(deps),
  };
}

/**
 * Compiled segments per workspace, cached in memory and reloaded when the workspace's
 * segments change (a cheap version probe per use, so every process sees edits made by
 * any other within one batch).
 */
export class SegmentRegistry {
  private readonly cache = new Map<string, { stamp: string; segments: WorkspaceSegments }>();

  /**
   * A segment whose stored definition does not decode is left out, as if deleted: its
   * members stay as they were and no one enters or leaves it, while every other segment
   * is evaluated as usual. `onUnreadable` hears of each such segment whenever the
   * workspace's segments are (re)loaded (the composition root logs it).
   */
  constructor(
    private readonly options: { onUnreadable?: (segment: UnreadableSegment) => void } = {},
  ) {}

  async get(db: Kysely<Database>, workspaceId: string): Promise<WorkspaceSegments> {
    const probe = await db
      .selectFrom('segments')
      .select((eb) => [
        eb.fn.max('updated_at').as('latest'),
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.sum<number | string | null>('backfilled_version').as('bf'),
        eb.fn.sum<number | string | null>('version').as('v'),
      ])
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    const stamp = `${String(probe?.latest ?? 0)}:${String(probe?.n ?? 0)}:${String(probe?.bf ?? 0)}:${String(probe?.v ?? 0)}`;
    const hit = this.cache.get(workspaceId);
    if (hit && hit.stamp === stamp) return hit.segments;
    const rows = await db
      .selectFrom('segments')
      .select(['id', 'name', 'kind', 'version', 'backfilled_version', 'definition'])
      .where('workspace_id', '=', workspaceId)
      .where('deleted_at', 'is', null)
      .execute();
    const loaded: LoadedSegment[] = [];
    for (const row of rows) {
      const segment = loadSegment(row);
      if ('unreadable' in segment) {
        this.options.onUnreadable?.({
          workspaceId,
          segmentId: row.id,
          problem: segment.unreadable,
        });
      } else loaded.push(segment);
    }
    const segments = new WorkspaceSegments(loaded);
    this.cache.set(workspaceId, { stamp, segments });
    return segments;
  }
}
