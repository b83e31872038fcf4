import type { Logger } from 'pino';
import { learnStep } from '../decisions/index.js';
import {
  erasedSince,
  erasureEpoch,
  type ErasureRunner,
  type RetentionRunner,
} from '../erasure/index.js';
import type { RejectedKeeper } from '../ingest/index.js';
import { WorkLoop } from '../jobs/index.js';
import type { JourneyStage } from '../journeys/index.js';
import type { OutboxSender } from '../messaging/index.js';
import type { ModelCache, ProfileProcessor } from '../profiles/index.js';
import type { RecommendationService } from '../recommend/index.js';
import type { SegmentStage } from '../segments/index.js';
import type { Metrics } from '../server/index.js';
import type { Clock } from '../shared/index.js';
import type { Store } from '../store/index.js';
import { listWorkspaceIds } from '../workspaces/index.js';

export interface LoopParts {
  erasure: ErasureRunner;
  retention: RetentionRunner;
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  profiles: ProfileProcessor;
  models: ModelCache;
  segments: SegmentStage;
  journeys: JourneyStage;
  outbox: OutboxSender;
  recommendations: RecommendationService;
  rejects: RejectedKeeper;
  profileWorkers: number;
  modelRefreshMs: number;
  recommendationsTrainMs: number;
  /** Retrains the journeys' uplift models that are due (a day old). */
  upliftTraining: () => Promise<boolean>;
}

export interface Loops {
  /** The profile stage's loops, woken when events are committed. */
  profiles: WorkLoop[];
  /** Everything a worker (or `all`) runs. */
  worker: WorkLoop[];
  /** What an API-only process runs: training and following its serving models. */
  serving: WorkLoop[];
}

/** The background work, declared in one place: what each loop steps and how often it idles. */
export function buildLoops(p: LoopParts): Loops {
  const { logger } = p;
  const loop = (name: string, step: () => Promise<boolean>, idleMs: number) =>
    new WorkLoop(name, step, { logger, idleMs });

  const profiles = Array.from({ length: p.profileWorkers }, (_, i) =>
    loop(
      i === 0 ? 'profiles' : `profiles-${i + 1}`,
      async () => {
        const r = await p.profiles.processBatch();
        if (r.events > 0) p.metrics.eventsProcessed.inc(r.events);
        return r.events > 0;
      },
      250,
    ),
  );
  // Loads what another process trained and saved, trains what is due (at start: only
  // workspaces without saved models), picks up catalog changes.
  const recommendations = loop(
    'recommendations',
    async () => {
      await p.recommendations.scheduled(
        await listWorkspaceIds(p.store.db),
        p.recommendationsTrainMs,
      );
      return false;
    },
    60_000,
  );
  const models = loop(
    'profile-models',
    async () => {
      const ids = await listWorkspaceIds(p.store.db);
      for (const id of await p.models.stale(ids, p.clock.now() - p.modelRefreshMs)) {
        await p.models.refresh(id);
      }
      return false;
    },
    60_000,
  );
  // A process that serves recommendations but does not work erasures (--role api) learns
  // of finished ones from the store and drops what it holds about the person: its models
  // are retrained from the log, which no longer has them.
  let erasedThrough: number | null = null;
  const erasureFollow = loop(
    'erasure-follow',
    async () => {
      if (erasedThrough === null) {
        erasedThrough = await erasureEpoch(p.store.db);
        return false;
      }
      const since = erasedThrough;
      erasedThrough = Math.max(since, await erasureEpoch(p.store.db));
      if (erasedThrough === since) return false;
      for (const ws of await erasedSince(p.store.db, since)) {
        if (p.recommendations.registry(ws)) await p.recommendations.train(ws);
      }
      return false;
    },
    5_000,
  );
  return {
    profiles,
    worker: [
      loop('erasure', () => p.erasure.step(), 1000),
      loop('retention', () => p.retention.step(), 3_600_000),
      ...profiles,
      models,
      loop('segment-checks', () => p.segments.runDueChecks(), 200),
      loop('segment-backfill', () => p.segments.backfillStep(), 1000),
      loop('journey-timers', () => p.journeys.runDueTimers(), 100),
      loop('outbox', () => p.outbox.step(), 100),
      loop('journey-triggers', () => p.journeys.runTriggers(), 1000),
      // Rewards in, attribution windows closed: policies learn (state shared in the store).
      loop('decision-learning', () => learnStep(p.store, p.clock), 1000),
      recommendations,
      loop('uplift-training', p.upliftTraining, 3_600_000),
      loop('rejected-cleanup', () => p.rejects.cleanupStep(), 60_000),
    ],
    serving: [
      erasureFollow,
      recommendations,
      loop('recommendations-follow', () => p.recommendations.follow(), 1000),
    ],
  };
}
