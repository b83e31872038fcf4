import { liveFactsOf, type ModelCache } from '../profiles/index.js';
import type { Clock } from '../shared/index.js';
import { withRetriedTransaction, type Store } from '../store/index.js';
import { evaluateAndApply } from './apply.js';
import { scanProfiles } from './full-scan.js';
import type { SegmentRegistry } from './registry.js';

export interface RecomputeResult {
  profiles: number;
  segments: number;
  /** Memberships the full evaluation disagrees with (0 when incremental kept up). */
  differences: { profileId: string; segmentId: string; shouldBeMember: boolean }[];
  repaired: boolean;
}

/**
 * Evaluates every segment for every person from their profile and log, ignoring stored
 * memberships (references use the fresh results, in reference order), and compares
 * with what incremental evaluation stored. With `repair`, differences are applied as
 * ordinary transitions (with their Segment Entered/Exited events).
 */
export async function recomputeSegments(
  store: Store,
  clock: Clock,
  registry: SegmentRegistry,
  models: ModelCache,
  workspaceId: string,
  options: { repair?: boolean } = {},
): Promise<RecomputeResult> {
  const now = clock.now();
  const ws = await registry.get(store.db, workspaceId);
  const model = await models.get(workspaceId);
  const differences: RecomputeResult['differences'] = [];
  const profiles = await scanProfiles(
    store.db,
    workspaceId,
    ws.ordered,
    now,
    model,
    (profileId, subject) => {
      const stored = subject.segments;
      const fresh = new Set<string>();
      const view = { ...subject, segments: fresh };
      for (const s of ws.ordered) if (s.compiled(view, now)) fresh.add(s.id);
      for (const s of ws.ordered) {
        if (fresh.has(s.id) !== stored.has(s.id)) {
          differences.push({ profileId, segmentId: s.id, shouldBeMember: fresh.has(s.id) });
        }
      }
    },
  );
  if (options.repair && differences.length > 0) {
    const byProfile = new Map<string, Set<string>>();
    for (const d of differences) {
      let set = byProfile.get(d.profileId);
      if (!set) byProfile.set(d.profileId, (set = new Set()));
      set.add(d.segmentId);
    }
    const ids = [...byProfile.keys()];
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      await withRetriedTransaction(store, async (tx) => {
        const facts = await liveFactsOf(tx, chunk);
        await evaluateAndApply(
          tx,
          store.kind,
          ws,
          workspaceId,
          [...facts].map(([profileId, f]) => ({
            profileId,
            facts: f,
            segments: byProfile.get(profileId)!,
          })),
          now,
          model,
        );
      });
    }
  }
  return {
    profiles,
    segments: ws.ordered.length,
    differences,
    repaired: options.repair === true && differences.length > 0,
  };
}
