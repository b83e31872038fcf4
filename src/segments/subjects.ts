import type { Kysely } from 'kysely';
import {
  deriveTraits,
  toLoggedEvent,
  traitsChangeAt,
  type ProfileFacts,
  type WorkspaceModel,
} from '../profiles/index.js';
import type { Database } from '../store/index.js';
import { pushTo } from '../shared/index.js';
import { indexEvents, type Subject, type SubjectEvent } from './core/index.js';
import type { LoadedSegment } from './registry.js';

export interface ProfileState {
  profileId: string;
  facts: ProfileFacts;
}

/** What a set of segments needs loaded: event names and how far back. */
export interface Needs {
  events: Set<string>;
  lookbackMs: number | null;
  /** Whether traits or computed traits are read (deriving them costs ~0.1 ms a person). */
  traits: boolean;
}

export type LoadedSubject = Subject & {
  /** Current memberships. */
  segments: Set<string>;
  /** When a stepwise computed trait next changes with no event (see traitsChangeAt). */
  traitsChangeAt: number | null;
};

export function needs(segments: Iterable<Pick<LoadedSegment, 'deps'>>): Needs {
  const events = new Set<string>();
  let lookbackMs: number | null = 0;
  let traits = false;
  for (const s of segments) {
    if (s.deps.traits.length > 0 || s.deps.computed.length > 0) traits = true;
    if (s.deps.events.length === 0) continue;
    for (const e of s.deps.events) events.add(e);
    if (lookbackMs !== null) {
      lookbackMs =
        s.deps.maxLookbackMs === null ? null : Math.max(lookbackMs, s.deps.maxLookbackMs);
    }
  }
  return { events, lookbackMs, traits };
}

/**
 * Builds the evaluation subjects of several people at once: traits and computed traits
 * from their facts, the events the definitions can look at (by name, within the longest
 * window, future-dated ones included), and their current memberships.
 */
export async function loadSubjects(
  db: Kysely<Database>,
  workspaceId: string,
  profiles: readonly ProfileState[],
  need: Needs,
  now: number,
  model: WorkspaceModel,
): Promise<Map<string, LoadedSubject>> {
  const ids = profiles.map((p) => p.profileId);
  const events = new Map<string, SubjectEvent[]>();
  const memberships = new Map<string, Set<string>>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (need.events.size > 0) {
      let q = db
        .selectFrom('events')
        .selectAll()
        .where('profile_id', 'in', chunk)
        .where('event', 'in', [...need.events]);
      if (need.lookbackMs !== null) q = q.where('timestamp', '>', now - need.lookbackMs);
      for (const row of await q.orderBy('timestamp').execute()) {
        const e = toLoggedEvent(row);
        pushTo(events, row.profile_id!, {
          type: e.type,
          event: e.event,
          timestamp: e.timestamp,
          properties: e.type === 'identify' ? e.traits : e.properties,
          context: e.context,
        });
      }
    }
    const rows = await db
      .selectFrom('segment_members')
      .select(['segment_id', 'profile_id'])
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', chunk)
      .execute();
    for (const r of rows) {
      let set = memberships.get(r.profile_id);
      if (!set) memberships.set(r.profile_id, (set = new Set()));
      set.add(r.segment_id);
    }
  }
  const out = new Map<string, LoadedSubject>();
  for (const p of profiles) {
    const { traits, ...computed } = need.traits
      ? deriveTraits(p.facts, now, model)
      : { traits: {} as Record<string, unknown> };
    const list = events.get(p.profileId) ?? [];
    out.set(p.profileId, {
      traits,
      computed,
      events: list,
      eventsByName: indexEvents(list),
      segments: memberships.get(p.profileId) ?? new Set(),
      traitsChangeAt: need.traits ? traitsChangeAt(p.facts, now, model) : null,
    });
  }
  return out;
}
