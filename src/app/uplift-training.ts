import {
  journeysDueForUplift,
  trainJourneyUplift,
  type UpliftStatus,
} from '../measurement/index.js';
import type { ModelCache } from '../profiles/index.js';
import { recomputeSegments, type SegmentRegistry } from '../segments/index.js';
import type { Clock } from '../shared/index.js';
import type { Store } from '../store/index.js';
import { listWorkspaceIds } from '../workspaces/index.js';

export interface UpliftParts {
  store: Store;
  clock: Clock;
  models: ModelCache;
  segmentRegistry: SegmentRegistry;
}

/** How often the background job retrains a journey's uplift model. */
export const UPLIFT_TRAIN_MS = 86_400_000;

/**
 * Trains one journey's uplift model now (`POST /v1/journeys/{id}/uplift/train`, the
 * background job). A new model changes everyone's `uplift.<journey>` trait at once, with
 * no event of theirs: the segments that read it are re-evaluated for everyone and their
 * memberships repaired (Segment Entered/Exited as usual), so journeys see the change.
 */
export async function trainUplift(
  p: UpliftParts,
  workspaceId: string,
  journeyId: string,
): Promise<UpliftStatus> {
  const status = await trainJourneyUplift(
    p.store.db,
    p.models,
    workspaceId,
    journeyId,
    p.clock.now(),
  );
  if (status.status !== 'trained') return status;
  const segments = await p.segmentRegistry.get(p.store.db, workspaceId);
  const trait = status.trait;
  if (segments.ordered.some((s) => s.deps.computed.some((c) => c === trait || c === 'uplift')))
    await recomputeSegments(p.store, p.clock, p.segmentRegistry, p.models, workspaceId, {
      repair: true,
    });
  return status;
}

/** A WorkLoop step: each journey with a holdout whose model is a day old is retrained. */
export async function upliftTrainingStep(p: UpliftParts, everyMs = UPLIFT_TRAIN_MS) {
  for (const workspaceId of await listWorkspaceIds(p.store.db))
    for (const journeyId of await journeysDueForUplift(
      p.store.db,
      workspaceId,
      p.clock.now(),
      everyMs,
    ))
      await trainUplift(p, workspaceId, journeyId);
  return false;
}
