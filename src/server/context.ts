import type { Logger } from 'pino';
import { DEFAULTS, type RejectedLimits } from '../config/index.js';
import { EventWriter, IngestService, RejectedKeeper } from '../ingest/index.js';
import { WorkLoop } from '../jobs/index.js';
import { countQuarantined, ModelCache, ProfileProcessor } from '../profiles/index.js';
import { JourneyStage } from '../journeys/index.js';
import {
  EmailSender,
  PushSender,
  RenderPool,
  type RecommendRequest,
  type RenderPoolOptions,
} from '../channels/index.js';
import {
  consentHook,
  emailChannel,
  OutboxSender,
  pushChannel,
  recordEngagement,
  webhookChannel,
  type Deliver,
  type EngagementResult,
  type SendDeps,
} from '../messaging/index.js';
import { RecommendationService } from '../recommend/index.js';
import { SegmentRegistry, SegmentStage } from '../segments/index.js';
import type { Clock } from '../shared/index.js';
import type { Store } from '../store/index.js';
import { KeyResolver, LinkSecrets } from '../workspaces/index.js';
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
  /** Caps, cuts and expires stored refusals (GET /v1/admin/rejected). */
  rejects: RejectedKeeper;
  profiles: ProfileProcessor;
  models: ModelCache;
  segmentRegistry: SegmentRegistry;
  segments: SegmentStage;
  journeys: JourneyStage;
  outbox: OutboxSender;
  /** Renders message templates off the event loop, under hard limits (sends, previews). */
  renderer: RenderPool;
  recommendations: RecommendationService;
  /** Where people reach this server (links in messages); set once the server listens. */
  publicUrl: string;
  /** Feeds an event Rapport observed about a person into their log, through the pipeline. */
  emitTo(
    workspaceId: string,
    profileId: string,
    event: string,
    properties: Record<string, unknown>,
    messageId: string,
  ): Promise<void>;
  /** The recommendation provider templates use, once recommendations are served. */
  recommendFor?: SendDeps['recommend'];
  /** Tells this process's profile stage that events are waiting (after a retry, say). */
  wakePipeline(): void;
  /** Link secrets for the public routes: read (cached), never created by a request. */
  linkSecrets: LinkSecrets;
  /** Records an open or click from a signed tracking token; gives a click's destination. */
  track(token: string, kind: 'open' | 'click'): Promise<EngagementResult>;
  /** Background loops; started by `startBackground` in the worker roles. */
  loops: WorkLoop[];
  /**
   * What an API-only process runs instead: recommendation training and folding the
   * interactions other processes commit into its serving models.
   */
  servingLoops: WorkLoop[];
}

export interface ContextOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  adminKey?: string | undefined;
  /** How often a worker refits each workspace's profile model. */
  modelRefreshMs?: number;
  outboxLeaseMs?: number;
  /** How often workers retrain each workspace's recommendation models. */
  recommendationsTrainMs?: number;
  smtpUrl?: string | undefined;
  publicUrl?: string | undefined;
  /** Replaces or adds delivery channels (benchmarks, custom channels). */
  channels?: Record<string, Deliver>;
  /**
   * Profile-stage loops in this process. On PostgreSQL several claim disjoint pending
   * events (SKIP LOCKED) and overlap their round trips (default 3); SQLite has one
   * connection, so one (default).
   */
  profileWorkers?: number;
  /** Caps on stored refusals; the configuration's defaults when not given. */
  rejected?: RejectedLimits;
  /** Threads and limits of template rendering (strict defaults; tests lower them). */
  render?: RenderPoolOptions;
}

/**
 * The composition root of the event pipeline: ingest commits events and wakes the
 * profile stage, which folds them into profiles and runs the stages registered on it.
 */
export function createContext(options: ContextOptions): AppContext {
  const { store, clock, logger } = options;
  const metrics = new Metrics();
  metrics.countQuarantine(() => countQuarantined(store.db));
  const profiles = new ProfileProcessor(store, clock, {
    onQuarantine: ({ eventId, error }) => {
      metrics.eventsQuarantined.inc();
      logger.warn({ eventId, error }, 'event quarantined: see GET /v1/admin/quarantine');
    },
    onHookError: (err) => logger.error({ err }, 'a committed-batch hook failed'),
  });
  const models = new ModelCache(store.db, clock);
  const segmentRegistry = new SegmentRegistry();
  const segments = new SegmentStage(store, clock, segmentRegistry, models);
  profiles.addHook(segments.hook);
  const journeys = new JourneyStage(store, clock, models);
  profiles.addHook(journeys.hook);
  // A journey that updates a profile re-evaluates the person's segments in the same step.
  journeys.onProfileUpdated = segments.hook;
  profiles.addHook(consentHook);
  const recommendations = new RecommendationService(store, clock, logger);
  profiles.onCommitted(recommendations.onCommitted);
  const ctx = {} as AppContext;
  // Threads start with the first render: an API-only process that never previews has none.
  const renderer = new RenderPool(options.render);
  const sendDeps: SendDeps = {
    db: store.db,
    clock,
    models,
    renderer,
    get publicUrl() {
      return ctx.publicUrl;
    },
    ...(options.smtpUrl ? { email: new EmailSender(options.smtpUrl) } : {}),
    // Subscriptions are validated when stored: https, or http on loopback for testing.
    push: new PushSender({ clock, allowHttp: true }),
    // Without a recommendations engine, recommend blocks render their {% else %}.
    recommend: (workspaceId, profileId) => ctx.recommendFor?.(workspaceId, profileId) ?? (() => []),
    emit: (workspaceId, profileId, event, properties) =>
      ctx.emitTo(
        workspaceId,
        profileId,
        event,
        properties,
        `${event}:${typeof properties.message_id === 'string' ? properties.message_id : profileId}`,
      ),
  };
  const outbox = new OutboxSender(
    store,
    clock,
    {
      webhook: webhookChannel(store, clock),
      email: emailChannel(sendDeps),
      push: pushChannel(sendDeps),
      ...options.channels,
    },
    {
      logger,
      ...(options.outboxLeaseMs ? { leaseMs: options.outboxLeaseMs } : {}),
      // Each delivery reads the store; on PostgreSQL leave pool connections for the
      // pipeline and the API.
      concurrency: store.kind === 'postgres' ? 6 : 16,
    },
  );
  const timerLoop = new WorkLoop('journey-timers', () => journeys.runDueTimers(), {
    logger,
    idleMs: 100,
  });
  const outboxLoop = new WorkLoop('outbox', () => outbox.step(), { logger, idleMs: 100 });
  const trainEveryMs = options.recommendationsTrainMs ?? 6 * 3_600_000;
  const lastTrained = new Map<string, number>();
  const recsLoop = new WorkLoop(
    'recommendations',
    async () => {
      const workspaces = await store.db.selectFrom('workspaces').select('id').execute();
      for (const { id } of workspaces) {
        const due = clock.now() - (lastTrained.get(id) ?? -Infinity) >= trainEveryMs;
        if (!due) continue;
        lastTrained.set(id, clock.now());
        await recommendations.train(id);
      }
      await recommendations.refreshCatalogs();
      return false;
    },
    { logger, idleMs: 60_000 },
  );
  const followLoop = new WorkLoop('recommendations-follow', () => recommendations.follow(), {
    logger,
    idleMs: 1000,
  });
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
  const profileWorkers = options.profileWorkers ?? (store.kind === 'postgres' ? 3 : 1);
  const profileLoops = Array.from(
    { length: profileWorkers },
    (_, i) =>
      new WorkLoop(
        i === 0 ? 'profiles' : `profiles-${i + 1}`,
        async () => {
          const r = await profiles.processBatch();
          if (r.events > 0) metrics.eventsProcessed.inc(r.events);
          return r.events > 0;
        },
        { logger, idleMs: 250 },
      ),
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
  const writer = new EventWriter(store, () => {
    for (const loop of profileLoops) loop.wake();
  });
  const rejectedLimits = options.rejected ?? DEFAULTS;
  const rejects = new RejectedKeeper(
    store.db,
    clock,
    {
      maxPerWorkspace: rejectedLimits.rejectedMaxPerWorkspace,
      maxRawBytes: rejectedLimits.rejectedMaxRawBytes,
      retentionMs: rejectedLimits.rejectedRetentionDays * 86_400_000,
    },
    metrics.rejectedCounters(),
  );
  const rejectsLoop = new WorkLoop('rejected-cleanup', () => rejects.cleanupStep(), {
    logger,
    idleMs: 60_000,
  });
  const ingest = new IngestService(writer, clock, metrics.ingestCounters(), rejects);
  const emitTo: AppContext['emitTo'] = async (
    workspaceId,
    profileId,
    event,
    properties,
    messageId,
  ) => {
    const ids = await store.db
      .selectFrom('identities')
      .select(['kind', 'value'])
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', '=', profileId)
      .where('kind', 'in', ['user_id', 'anonymous_id'])
      .orderBy('kind', 'desc')
      .execute();
    const id = ids[0];
    if (!id) return;
    const value = {
      type: 'track',
      event,
      messageId,
      [id.kind === 'user_id' ? 'userId' : 'anonymousId']: id.value,
      properties,
    };
    await ingest.ingestOne(workspaceId, 'track', value, JSON.stringify(value));
  };
  const linkSecrets = new LinkSecrets(store.db);
  const track: AppContext['track'] = (token, kind) =>
    recordEngagement(
      {
        db: store.db,
        clock,
        emitTo,
        linkSecret: (w) => linkSecrets.get(w),
        publicUrl: ctx.publicUrl,
      },
      token,
      kind,
    );
  return Object.assign(ctx, {
    store,
    clock,
    logger,
    metrics,
    keys: new KeyResolver(store.db, clock, options.adminKey),
    writer,
    ingest,
    rejects,
    recommendations,
    recommendFor: (workspaceId: string, profileId: string) => (request: RecommendRequest) => {
      const itemId =
        typeof request.item_id === 'string' && request.item_id ? request.item_id : undefined;
      const category = typeof request.category === 'string' ? request.category : undefined;
      return recommendations
        .recommend(workspaceId, {
          // Opted out of personalization: what everyone gets.
          strategy: request.personalized ? request.strategy : 'popular',
          limit: request.limit,
          ...(request.personalized ? { userId: profileId } : {}),
          ...(request.personalized && itemId ? { itemId } : {}),
          ...(category ? { category } : {}),
        })
        .items.map((i) => ({
          id: i.itemId,
          title: i.title,
          reason: i.reason.text,
          strategy: i.strategy,
        }));
    },
    wakePipeline: () => {
      for (const loop of profileLoops) loop.wake();
    },
    publicUrl: (options.publicUrl ?? 'http://127.0.0.1:4700').replace(/\/+$/, ''),
    emitTo,
    linkSecrets,
    track,
    profiles,
    models,
    segmentRegistry,
    segments,
    journeys,
    outbox,
    renderer,
    loops: [
      ...profileLoops,
      modelLoop,
      checkLoop,
      backfillLoop,
      timerLoop,
      outboxLoop,
      triggerLoop,
      recsLoop,
      rejectsLoop,
    ],
    servingLoops: [recsLoop, followLoop],
  });
}

/**
 * Starts the background work of a role: a worker (or `all`) runs the whole pipeline; an
 * API-only process trains and follows its recommendation models, so it can serve them.
 */
export function startBackground(ctx: AppContext, role: 'all' | 'api' | 'worker' = 'all'): void {
  for (const loop of role === 'api' ? ctx.servingLoops : ctx.loops) loop.start();
}

/** Finishes queued writes and running background steps; the store is closed by its opener. */
export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.writer.close();
  await Promise.all([...ctx.loops, ...ctx.servingLoops].map((l) => l.stop()));
  // After the loops: a sender still rendering gets its answer instead of a closed pool.
  await ctx.renderer.close();
}
