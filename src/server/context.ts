import type { Logger } from 'pino';
import type { RenderPool, SmtpConfig } from '../channels/index.js';
import type { EventWriter, IngestService, RejectedKeeper } from '../ingest/index.js';
import type { JourneyStage } from '../journeys/index.js';
import type { DecisionService } from '../decisions/index.js';
import type { ConsentCache, EngagementResult, OutboxSender, SendDeps } from '../messaging/index.js';
import type { ExposureLog, UpliftStatus } from '../measurement/index.js';
import type { ModelCache, ProfileProcessor } from '../profiles/index.js';
import type { RecommendationService } from '../recommend/index.js';
import type { SegmentRegistry, SegmentStage } from '../segments/index.js';
import type { Clock } from '../shared/index.js';
import type { ChangeFeed, Store } from '../store/index.js';
import type { KeyResolver, LinkSecrets } from '../workspaces/index.js';
import type { ErasureJob, ErasureRunner } from '../erasure/index.js';
import type { Metrics } from './metrics.js';
/**
 * What the HTTP routes use: the services the composition root (`src/app`) builds once.
 */
export interface AppContext {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  keys: KeyResolver;
  /** Cross-process invalidation of serving caches; synced as each request is authenticated. */
  changes: ChangeFeed;
  /** What recommendations people were shown over HTTP, written off the request path. */
  exposures: ExposureLog;
  /** People's consent for serving paths, dropped on change (see ConsentCache). */
  consents: ConsentCache;
  writer: EventWriter;
  ingest: IngestService;
  /** Caps, cuts and expires stored refusals (GET /v1/admin/rejected). */
  rejects: RejectedKeeper;
  profiles: ProfileProcessor;
  /** Starts erasures (DELETE /v1/profiles/...); worked by the worker's `erasure` loop. */
  erasure: ErasureRunner;
  /** An erasure job's status; null when the workspace has none with that id. */
  erasureStatus(workspaceId: string, id: string): Promise<ErasureJob | null>;
  /** Everything held about the person `kind`/`value` names, as one bundle; null: nobody. */
  exportPerson(
    db: Store['db'],
    workspaceId: string,
    kind: string,
    value: string,
  ): Promise<Record<string, unknown> | null>;
  models: ModelCache;
  segmentRegistry: SegmentRegistry;
  segments: SegmentStage;
  journeys: JourneyStage;
  outbox: OutboxSender;
  /** Renders message templates off the event loop, under hard limits (sends, previews). */
  renderer: RenderPool;
  recommendations: RecommendationService;
  /** Offers for placements: `POST /v1/decide`, `{% offer %}` blocks and journey steps. */
  decisions: DecisionService;
  /** Where people reach this server (links in messages); set once the server listens. */
  publicUrl: string;
  /** Where `publicUrl` comes from: RAPPORT_PUBLIC_URL (or the flag), or the listening address. */
  publicUrlFrom: 'config' | 'listening address';
  email: {
    /** SMTP_URL is set. */
    configured: boolean;
    /** E-mail goes to the local catcher of `rapport demo`, never out of the machine. */
    capture: boolean;
    /** Refuse to activate an e-mail journey while e-mail cannot go out (see email-guard). */
    checkOnActivate: boolean;
    /** SMTP_URL parsed (its password too: never answered), for the operator's checks. */
    smtp?: SmtpConfig;
    /** The longest an SMTP check or test send waits on each step before answering. */
    checkTimeoutMs: number;
  };
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
  /** Trains a journey's uplift model now; segments reading its trait are repaired. */
  trainUplift(workspaceId: string, journeyId: string): Promise<UpliftStatus>;
  /** Tells this process's segment back-fill that a segment was created or changed. */
  wakeSegmentBackfill(): void;
}
