import type { Logger } from 'pino';
import {
  EmailSender,
  parseSmtpUrl,
  PushSender,
  RenderPool,
  type RenderPoolOptions,
} from '../channels/index.js';
import { DEFAULTS, defaultPublicUrl, type RejectedLimits } from '../config/index.js';
import { EventWriter, IngestService, RejectedKeeper } from '../ingest/index.js';
import { DecisionService } from '../decisions/index.js';
import { JourneyStage } from '../journeys/index.js';
import {
  ConsentCache,
  emailChannel,
  withPreferredChannel,
  OutboxSender,
  pushChannel,
  recordEngagement,
  webhookChannel,
  type Deliver,
  type SendDeps,
} from '../messaging/index.js';
import {
  countQuarantined,
  eventIdentityOf,
  profileView,
  ProfileKind,
  resolvePerson,
  ModelCache,
  ProfileProcessor,
  type PipelineStage,
} from '../profiles/index.js';
import {
  experimentMergeStage,
  inGlobalControl,
  journeyExposureHook,
  PlacementAssignments,
  loadUpliftScorers,
  templateVariantFor,
  ExposureLog,
} from '../measurement/index.js';
import { trainUplift, upliftTrainingStep } from './uplift-training.js';
import { RecommendationService } from '../recommend/index.js';
import { recomputeSegments, SegmentRegistry, SegmentStage } from '../segments/index.js';
import { Metrics, type AppContext } from '../server/index.js';
import type { Clock } from '../shared/index.js';
import type { Store } from '../store/index.js';
import { KeyResolver, LinkSecrets, listWorkspaceIds } from '../workspaces/index.js';
import { ErasureRunner, readJob, RetentionRunner } from '../erasure/index.js';
import { flushErased, openChangeFeed } from '../store/index.js';
import { readBacklog } from './backlog.js';
import { buildLoops, type Loops } from './loops.js';
import { ERASE_STEPS, exportPerson, RETENTION_STEPS } from './personal-data.js';
import { pipelineStages } from './pipeline.js';
import { consentLookup, journeyDecide, offerProvider } from './offer-provider.js';
import { recommendProvider } from './recommend-provider.js';

export interface AppOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  adminKey?: string | undefined;
  /** RAPPORT_PLATFORM_KEY: creates and lists workspaces; none when not given. */
  platformKey?: string | undefined;
  /** How often a worker refits each workspace's profile model. */
  modelRefreshMs?: number;
  outboxLeaseMs?: number;
  /** How often workers retrain each workspace's recommendation models. */
  recommendationsTrainMs?: number;
  smtpUrl?: string | undefined;
  /**
   * `smtpUrl` is a mail catcher on this machine (`rapport demo`): the sender refuses any
   * other address, and e-mail needs no https public URL since nothing leaves the machine.
   */
  emailCapture?: boolean;
  /** Where people reach this server; `defaultPublicUrl` of the configuration when not set. */
  publicUrl?: string | undefined;
  /**
   * Refuse to activate an e-mail journey while e-mail cannot go out (no SMTP_URL, no
   * https public URL, no sender). On unless false.
   */
  checkEmailOnActivate?: boolean;
  /** How long an SMTP check or test send waits on each step (default 10 s; tests lower it). */
  smtpCheckTimeoutMs?: number;
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
  /** Stages run after the declared pipeline (tests, benchmarks). */
  extraStages?: readonly PipelineStage[];
  /**
   * Hold back marketing messages to the workspace's global control group (the
   * `measurement.globalControlPercent` setting). On unless false: tests that count the
   * messages of people with random ids turn it off.
   */
  globalControl?: boolean;
  /** Rows an erasure step removes per transaction (tests lower it). */
  erasureBatch?: number;
  /** A running erasure untouched this long is taken over by another worker. */
  erasureLeaseMs?: number;
}

/** The running system: what the routes use, and the background loops of each role. */
export interface App extends AppContext {
  loops: Loops;
}

/**
 * The composition root: builds every service once, wires the event pipeline (ingest
 * commits and wakes the profile stage, which runs the declared stages, see
 * `pipelineStages`) and declares the background loops. Nothing starts until the caller
 * starts it (`startBackground`, a server's `listen`).
 */
export function buildApp(options: AppOptions): App {
  const { store, clock, logger } = options;
  const metrics = new Metrics();
  metrics.countQuarantine(() => countQuarantined(store.db));
  metrics.observeBacklog(clock, () => readBacklog(store.db, clock.now()));
  // Journeys' uplift models ride with the workspace model: `uplift.<journey>` traits.
  const models = new ModelCache(store.db, clock, undefined, loadUpliftScorers);
  // A stored definition that does not decode is left out of the pipeline, with a warning.
  const segmentRegistry = new SegmentRegistry({
    onUnreadable: (u) => logger.warn(u, 'segment left out: its stored definition is unreadable'),
  });
  const segments = new SegmentStage(store, clock, segmentRegistry, models);
  // RFM scores are quintiles of the fitted model: a refit moves people between the RFM
  // segments without any event of theirs, so memberships are recomputed (and repaired,
  // with their Segment Entered/Exited events) right after it.
  models.afterRefit(async (workspaceId) => {
    try {
      await recomputeSegments(store, clock, segmentRegistry, models, workspaceId, {
        repair: true,
      });
    } catch (error) {
      logger.warn({ err: error, workspaceId }, 'segments not refreshed after the model refit');
    }
  });
  // A journey step that updates a profile re-evaluates the person's segments in its own
  // transaction.
  // A placement's holdout or experiment is a measurement experiment, recorded at first exposure.
  // Cross-process invalidation for the serving caches: keys and people's consent.
  const changes = openChangeFeed(store, () => clock.now());
  const consents = new ConsentCache(changes);
  const exposures = new ExposureLog(store, (err) =>
    logger.warn({ err }, 'recommendations served but not recorded for the trace'),
  );
  const decisions = new DecisionService(store, clock, models, consentLookup(clock, consents), {
    arms: new PlacementAssignments(clock).armOf,
  });
  const journeys = new JourneyStage(store, clock, models, {
    reevaluate: segments.stage,
    onUnreadable: (u) =>
      logger.warn(u, 'journey version left out: its stored definition is unreadable'),
    onRunsSaved: journeyExposureHook(clock),
    decide: journeyDecide(decisions, (u) =>
      logger.warn(u, 'decide step skipped: its placement no longer exists'),
    ),
  });
  const recommendations = new RecommendationService(store, clock, logger);
  const profiles = new ProfileProcessor(store, clock, {
    stages: pipelineStages({
      segments,
      journeys,
      experiments: experimentMergeStage,
      extra: options.extraStages,
    }),
    afterCommit: [recommendations.onCommitted, decisions.onCommitted],
    onQuarantine: ({ eventId, error }) => {
      metrics.eventsQuarantined.inc();
      logger.warn({ eventId, error }, 'event quarantined: see GET /v1/admin/quarantine');
    },
    onHookError: (err) => logger.error({ err }, 'a committed-batch hook failed'),
  });

  // `app` is filled below; the closures here read it only when called, after that.
  const app = {} as App;
  // Threads start with the first render: an API-only process that never previews has none.
  const renderer = new RenderPool({
    ...options.render,
    onLimit: (limit) => metrics.renderLimitsExceeded.inc({ limit }),
  });
  const sendDeps: SendDeps = {
    db: store.db,
    clock,
    models,
    renderer,
    get publicUrl() {
      return app.publicUrl;
    },
    ...(options.smtpUrl
      ? { email: new EmailSender(options.smtpUrl, { capture: options.emailCapture === true }) }
      : {}),
    // Subscriptions are validated when stored: https, or http on loopback for testing.
    push: new PushSender({ clock, allowHttp: true }),
    recommend: recommendProvider(recommendations, store.db),
    offer: offerProvider(decisions),
    templateVariant: (workspaceId, profileId, templateId, now) =>
      templateVariantFor(store.db, workspaceId, profileId, templateId, now),
    ...(options.globalControl === false
      ? {}
      : {
          globalControl: (workspaceId: string, profileId: string, percent: number, now: number) =>
            inGlobalControl(store.db, workspaceId, profileId, percent, now),
        }),
    emit: (workspaceId, profileId, event, properties) =>
      app.emitTo(
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
    withPreferredChannel(sendDeps, {
      webhook: webhookChannel(store, clock),
      email: emailChannel(sendDeps),
      push: pushChannel(sendDeps),
      ...options.channels,
    }),
    {
      logger,
      ...(options.outboxLeaseMs ? { leaseMs: options.outboxLeaseMs } : {}),
      // Each delivery reads the store; on PostgreSQL leave pool connections for the
      // pipeline and the API.
      concurrency: store.kind === 'postgres' ? 6 : 16,
    },
  );
  const limits = options.rejected ?? DEFAULTS;
  const rejects = new RejectedKeeper(
    store.db,
    clock,
    {
      maxPerWorkspace: limits.rejectedMaxPerWorkspace,
      maxRawBytes: limits.rejectedMaxRawBytes,
      retentionMs: limits.rejectedRetentionDays * 86_400_000,
    },
    metrics.rejectedCounters(),
    () => listWorkspaceIds(store.db),
  );
  const erasure = new ErasureRunner(store, clock, {
    steps: ERASE_STEPS,
    resolve: (db, ws, kind, value) => resolvePerson(db, ws, ProfileKind.parse(kind), value),
    ...(options.erasureBatch ? { batchSize: options.erasureBatch } : {}),
    ...(options.erasureLeaseMs !== undefined ? { leaseMs: options.erasureLeaseMs } : {}),
    // What this process holds about the person goes now: the recommendation models are
    // retrained from the log (their per-person histories with them), and SQLite's WAL is
    // checkpointed so the erased bytes leave it. Other processes follow `erasure-follow`.
    afterErased: async (workspaceId) => {
      flushErased(store);
      if (recommendations.registry(workspaceId)) await recommendations.train(workspaceId);
    },
  });
  const retention = new RetentionRunner(store, clock, RETENTION_STEPS);
  const uplift = { store, clock, models, segmentRegistry };
  const loops = buildLoops({
    upliftTraining: () => upliftTrainingStep(uplift),
    erasure,
    retention,
    store,
    clock,
    logger,
    metrics,
    profiles,
    models,
    segments,
    journeys,
    outbox,
    recommendations,
    rejects,
    profileWorkers: options.profileWorkers ?? (store.kind === 'postgres' ? 3 : 1),
    modelRefreshMs: options.modelRefreshMs ?? 3_600_000,
    recommendationsTrainMs: options.recommendationsTrainMs ?? 6 * 3_600_000,
  });
  const wakePipeline = () => {
    for (const loop of loops.profiles) loop.wake();
  };
  const writer = new EventWriter(store, wakePipeline);
  const ingest = new IngestService(writer, clock, metrics.ingestCounters(), rejects);
  const emitTo: AppContext['emitTo'] = async (
    workspaceId,
    profileId,
    event,
    properties,
    messageId,
  ) => {
    const who = await eventIdentityOf(store.db, workspaceId, profileId);
    if (!who) return;
    const value = { type: 'track', event, messageId, ...who, properties };
    await ingest.ingestOne(workspaceId, 'track', value, JSON.stringify(value));
  };
  const linkSecrets = new LinkSecrets(store.db);
  return Object.assign(app, {
    store,
    clock,
    logger,
    metrics,
    keys: new KeyResolver(store.db, clock, options.adminKey, options.platformKey, changes),
    changes,
    consents,
    exposures,
    writer,
    ingest,
    rejects,
    recommendations,
    decisions,
    recommendFor: sendDeps.recommend,
    trainUplift: (workspaceId: string, journeyId: string) =>
      trainUplift(uplift, workspaceId, journeyId),
    wakePipeline,
    wakeSegmentBackfill: () => {
      for (const loop of loops.worker) if (loop.name === 'segment-backfill') loop.wake();
    },
    publicUrl: (options.publicUrl ?? defaultPublicUrl(DEFAULTS.host, DEFAULTS.port)).replace(
      /\/+$/,
      '',
    ),
    publicUrlFrom: options.publicUrl ? 'config' : 'listening address',
    email: {
      configured: options.smtpUrl !== undefined,
      capture: options.emailCapture === true,
      checkOnActivate: options.checkEmailOnActivate ?? true,
      ...(options.smtpUrl ? { smtp: parseSmtpUrl(options.smtpUrl) } : {}),
      checkTimeoutMs: options.smtpCheckTimeoutMs ?? 10_000,
    },
    emitTo,
    linkSecrets,
    track: (token: string, kind: 'open' | 'click') =>
      recordEngagement(
        {
          db: store.db,
          clock,
          emitTo,
          linkSecret: (w) => linkSecrets.get(w),
          publicUrl: app.publicUrl,
        },
        token,
        kind,
      ),
    profiles,
    erasure,
    erasureStatus: (workspaceId, id) => readJob(store.db, workspaceId, id),
    exportPerson: async (db, workspaceId, kind, value) => {
      await exposures.flush();
      const person = await resolvePerson(db, workspaceId, ProfileKind.parse(kind), value);
      if (!person) return null;
      const live = person.profileIds[0]!;
      const view = await profileView(
        db,
        workspaceId,
        live,
        // The transaction's handle: on SQLite it holds the only connection.
        await models.get(workspaceId, db),
        clock.now(),
      );
      return {
        ...(await exportPerson(db, person, clock.now())),
        traits: view?.traits ?? {},
        computedTraits: view?.computed ?? {},
      };
    },
    models,
    segmentRegistry,
    segments,
    journeys,
    outbox,
    renderer,
    loops,
  } satisfies App);
}

/**
 * Starts the background work of a role: a worker (or `all`) runs the whole pipeline; an
 * API-only process trains and follows its recommendation models, so it can serve them.
 */
export function startBackground(app: App, role: 'all' | 'api' | 'worker' = 'all'): void {
  for (const loop of role === 'api' ? app.loops.serving : app.loops.worker) loop.start();
}

/** Finishes queued writes and running background steps; the store is closed by its opener. */
export async function closeApp(app: App): Promise<void> {
  await app.writer.close();
  await app.decisions.close();
  await Promise.all([...app.loops.worker, ...app.loops.serving].map((l) => l.stop()));
  // After the loops: a sender still rendering gets its answer instead of a closed pool.
  await app.renderer.close();
  await app.exposures.flush();
  await app.changes.close();
}
