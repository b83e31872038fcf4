import type { Logger } from 'pino';
import { EventWriter, IngestService } from '../ingest/index.js';
import { WorkLoop } from '../jobs/index.js';
import { ModelCache, ProfileProcessor } from '../profiles/index.js';
import { JourneyStage } from '../journeys/index.js';
import { OutboxSender, webhookChannel } from '../messaging/index.js';
import { SegmentRegistry, SegmentStage } from '../segments/index.js';
import type { Clock } from '../shared/index.js';
import type { Store } from '../store/index.js';
import { KeyResolver } from '../workspaces/index.js';
import { Metrics } from './metrics.js';

/** Everything a request handler or background loop may use, built once. */
export interface AppContext {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  keys: KeyResolver;
  writer: EventWriter;
  ingest: IngestService;
  profiles: ProfileProcessor;
  models: ModelCache;
  segmentRegistry: SegmentRegistry;
  segments: SegmentStage;
  journeys: JourneyStage;
  outbox: OutboxSender;
  /** Background loops; started by `startBackground` in the worker roles. */
  loops: WorkLoop[];
}

export interface ContextOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  adminKey?: string | undefined;
  /** How often a worker refits each workspace's profile model. */
  modelRefreshMs?: number;
  outboxLeaseMs?: number;
}

/**
 * The composition root of the event pipeline: ingest commits events and wakes the
 * profile stage, which folds them into profiles and runs the stages registered on it.
 */
export function createContext(options: ContextOptions): AppContext {
  const { store, clock, logger } = options;
  const metrics = new Metrics();
  const profiles = new ProfileProcessor(store, clock);
  const models = new ModelCache(store.db, clock);
  const segmentRegistry = new SegmentRegistry();
  const segments = new SegmentStage(store, clock, segmentRegistry, models);
  profiles.addHook(segments.hook);
  const journeys = new JourneyStage(store, clock, models);
  profiles.addHook(journeys.hook);
  // A journey that updates a profile re-evaluates the person's segments in the same step.
  journeys.onProfileUpdated = segments.hook;
  const outbox = new OutboxSender(
    store,
    clock,
    { webhook: webhookChannel(store, clock) },
    { logger, ...(options.outboxLeaseMs ? { leaseMs: options.outboxLeaseMs } : {}) },
  );
  const timerLoop = new WorkLoop('journey-timers', () => journeys.runDueTimers(), {
    logger,
    idleMs: 100,
  });
  const outboxLoop = new WorkLoop('outbox', () => outbox.step(), { logger, idleMs: 100 });
  const triggerLoop = new WorkLoop('journey-triggers', () => journeys.runTriggers(), {
    logger,
    idleMs: 1000,
  });
  const checkLoop = new WorkLoop('segment-checks', () => segments.runDueChecks(), {
    logger,
    idleMs: 200,
  });
  const backfillLoop = new WorkLoop('segment-backfill', () => segments.backfillStep(), {
    logger,
    idleMs: 1000,
  });
  const profileLoop = new WorkLoop(
    'profiles',
    async () => {
      const r = await profiles.processBatch();
      if (r.events > 0) metrics.eventsProcessed.inc(r.events);
      return r.events > 0;
    },
    { logger, idleMs: 250 },
  );
  const refreshMs = options.modelRefreshMs ?? 3_600_000;
  const modelLoop = new WorkLoop(
    'profile-models',
    async () => {
      const rows = await store.db
        .selectFrom('workspaces')
        .leftJoin('workspace_models', (j) =>
          j
            .onRef('workspace_models.workspace_id', '=', 'workspaces.id')
            .on('workspace_models.kind', '=', 'profiles'),
        )
        .select(['workspaces.id', 'workspace_models.fitted_at'])
        .execute();
      for (const r of rows) {
        if (r.fitted_at === null || clock.now() - r.fitted_at >= refreshMs) {
          await models.refresh(r.id);
        }
      }
      return false;
    },
    { logger, idleMs: 60_000 },
  );
  const writer = new EventWriter(store, () => profileLoop.wake());
  return {
    store,
    clock,
    logger,
    metrics,
    keys: new KeyResolver(store.db, clock, options.adminKey),
    writer,
    ingest: new IngestService(writer, clock, metrics.ingestCounters()),
    profiles,
    models,
    segmentRegistry,
    segments,
    journeys,
    outbox,
    loops: [profileLoop, modelLoop, checkLoop, backfillLoop, timerLoop, outboxLoop, triggerLoop],
  };
}

export function startBackground(ctx: AppContext): void {
  for (const loop of ctx.loops) loop.start();
}

/** Finishes queued writes and running background steps; the store is closed by its opener. */
export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.writer.close();
  await Promise.all(ctx.loops.map((l) => l.stop()));
}
