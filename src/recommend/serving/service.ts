import type { Logger } from 'pino';
import { allItems, catalogSignature } from '../../catalog/index.js';
import { processedThrough, type CommittedHook } from '../../profiles/index.js';
import type { Clock } from '../../shared/index.js';
import type { Store } from '../../store/index.js';
import { ModelRegistry, type VersionInfo } from '../registry.js';
import type { RecommendRequestInput, RecommendResponse } from '../request.js';
import { trainFromLog } from '../train-worker.js';
import type { TuneOptions } from '../tune.js';
import { describeTuning, type TuningReport } from '../tuning-report.js';
import { interactionsOf, loadInteractions, toRecommendable } from './interactions.js';

/** Events a log must grow by, at least, before it retrains ahead of its schedule. */
const RETRAIN_AFTER_EVENTS = 10_000;

export interface TrainResult {
  version: number;
  interactions: number;
  items: number;
  seconds: number;
  /** How the personalized model's parameters were chosen (null: not tuned). */
  tuning: TuningReport | null;
}

/**
 * Recommendations for each workspace, served from memory. Training reads the log and the
 * catalog and runs on a worker thread; the new model version is published into the
 * workspace's registry with one reference swap (requests never fail or mix versions),
 * and older versions are kept for rollback. Between trainings, new interactions are
 * folded in as they arrive (popularity, co-occurrence, histories).
 */
export class RecommendationService {
  private readonly registries = new Map<string, ModelRegistry>();
  private readonly training = new Map<string, Promise<TrainResult>>();
  private readonly queued = new Map<string, Promise<TrainResult>>();
  /** Per workspace: when the catalog was last looked at, and its signature then. */
  private readonly catalogChecked = new Map<string, number>();
  private readonly catalogSeen = new Map<string, string>();
  /** Per workspace: the log id through which interactions are in the serving models. */
  private readonly folded = new Map<string, number>();
  /** Per workspace: the log id its current model was trained through. */
  private readonly trainedThrough = new Map<string, number>();
  private readonly retrainAfterEvents: number;
  private readonly tune: TuneOptions | false;

  /**
   * `tune` (default on) chooses the personalized model's parameters at each training on
   * a validation tail of the workspace's own interactions; `false` keeps the defaults.
   */
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger?: Logger,
    options: { retrainAfterEvents?: number; tune?: TuneOptions | false } = {},
  ) {
    this.retrainAfterEvents = options.retrainAfterEvents ?? RETRAIN_AFTER_EVENTS;
    this.tune = options.tune ?? {};
  }

  /**
   * Whether the log has grown enough since the workspace's last training to train again
   * before the schedule: by `retrainAfterEvents` events and by a quarter of what the model
   * was trained on. A large import (whose events the importing process folds into
   * profiles, so this process never sees them one by one) is picked up within a minute;
   * steady traffic only retrains as the log grows by a quarter. Ids are counted over the
   * whole log, so a large import anywhere retrains each workspace once.
   */
  async grewSinceTraining(workspaceId: string): Promise<boolean> {
    const trained = this.trainedThrough.get(workspaceId);
    if (trained === undefined) return false;
    const grown = (await processedThrough(this.store.db)) - trained;
    return grown >= Math.max(this.retrainAfterEvents, trained / 4);
  }

  registry(workspaceId: string): ModelRegistry | undefined {
    return this.registries.get(workspaceId);
  }

  /**
   * Trains now, from the log as it is at the call. One training per workspace runs at a
   * time: a call while one runs queues a single next one (which later calls join), so
   * the answer never predates the request.
   */
  train(workspaceId: string): Promise<TrainResult> {
    const queued = this.queued.get(workspaceId);
    if (queued) return queued;
    const start = () => {
      const job = this.doTrain(workspaceId).finally(() => {
        if (this.training.get(workspaceId) === job) this.training.delete(workspaceId);
      });
      this.training.set(workspaceId, job);
      return job;
    };
    const running = this.training.get(workspaceId);
    if (!running) return start();
    const next = running
      .catch(() => undefined)
      .then(() => {
        this.queued.delete(workspaceId);
        return start();
      });
    this.queued.set(workspaceId, next);
    return next;
  }

  private async doTrain(workspaceId: string): Promise<TrainResult> {
    const started = performance.now();
    const now = this.clock.now();
    const through = await processedThrough(this.store.db);
    // Read before the items: a change made in between then shows at the next check.
    const signature = await catalogSignature(this.store.db, workspaceId);
    const catalog = toRecommendable(await allItems(this.store.db, workspaceId));
    const { bundle, interactions, tuning } = await trainFromLog(
      { store: this.store.address, workspaceId, through },
      catalog,
      now,
      { tune: this.tune },
    );
    let registry = this.registries.get(workspaceId);
    if (!registry) {
      registry = new ModelRegistry({ catalog });
      this.registries.set(workspaceId, registry);
    }
    const version = registry.publish(
      bundle,
      now,
      `${interactions} interactions, ${catalog.length} items`,
      catalog,
      tuning,
    );
    this.catalogChecked.set(workspaceId, now);
    this.catalogSeen.set(workspaceId, signature);
    this.folded.set(workspaceId, Math.max(this.folded.get(workspaceId) ?? 0, through));
    this.trainedThrough.set(workspaceId, through);
    const seconds = (performance.now() - started) / 1000;
    this.logger?.info(
      {
        workspaceId,
        version,
        interactions,
        items: catalog.length,
        seconds,
        ...(tuning ? { tuning: tuningLog(tuning) } : {}),
      },
      `recommendation models trained${tuning ? `; personalized: ${describeTuning(tuning)}` : ''}`,
    );
    return { version, interactions, items: catalog.length, seconds, tuning };
  }

  /** Answers from memory; an empty answer until the workspace's first training. */
  recommend(workspaceId: string, request: RecommendRequestInput): RecommendResponse {
    const registry = this.registries.get(workspaceId);
    if (!registry?.current()) return { items: [], chain: [] };
    return registry.recommend(request, this.clock.now());
  }

  versions(workspaceId: string): VersionInfo[] {
    return this.registries.get(workspaceId)?.versions() ?? [];
  }

  rollback(workspaceId: string, version?: number): number {
    const registry = this.registries.get(workspaceId);
    if (!registry) throw new Error('no trained model yet');
    return registry.rollback(version);
  }

  /**
   * Folds each batch's product interactions into the serving models once it has
   * committed (a batch retried after a race would otherwise count them twice).
   */
  readonly onCommitted: CommittedHook = (changes) => {
    for (const c of changes) {
      const registry = this.registries.get(c.workspaceId);
      if (!registry) continue;
      for (const e of c.events) for (const x of interactionsOf(c.profileId, e)) registry.observe(x);
    }
  };

  /**
   * Folds interactions the profile stage has committed since the last call into the
   * serving models, reading the log. For processes that serve recommendations but do not
   * run the profile stage themselves (`--role api`), whose models would otherwise only
   * move at the next training. Resolves true while a page was full (more may wait).
   */
  async follow(pageLimit = 20_000): Promise<boolean> {
    let more = false;
    for (const [workspaceId, registry] of this.registries) {
      const after = this.folded.get(workspaceId) ?? 0;
      const through = Math.min(await processedThrough(this.store.db), after + pageLimit);
      if (through <= after) continue;
      for (const x of await loadInteractions(this.store.db, workspaceId, after, through))
        registry.observe(x);
      this.folded.set(workspaceId, through);
      if (through === after + pageLimit) more = true;
    }
    return more;
  }

  /**
   * Picks up catalog changes (stock, prices, new items) every few minutes without
   * retraining. Rebuilding the serving recommender holds the event loop for a while
   * (about 0.1 s for 4k items), so it happens only when the catalog actually changed.
   */
  async refreshCatalogs(maxAgeMs = 5 * 60_000): Promise<void> {
    const now = this.clock.now();
    for (const [workspaceId, registry] of this.registries) {
      if (now - (this.catalogChecked.get(workspaceId) ?? 0) < maxAgeMs) continue;
      this.catalogChecked.set(workspaceId, now);
      const signature = await catalogSignature(this.store.db, workspaceId);
      if (signature === this.catalogSeen.get(workspaceId)) continue;
      registry.setCatalog(toRecommendable(await allItems(this.store.db, workspaceId)));
      this.catalogSeen.set(workspaceId, signature);
    }
  }
}

/** The tuning in a log line: the choice and every candidate's score, without the noise. */
function tuningLog(t: TuningReport) {
  return {
    status: t.status,
    reason: t.reason,
    chosen: t.chosen,
    chosenNdcg: t.chosenScore?.ndcg ?? null,
    defaultNdcg: t.defaultScore?.ndcg ?? null,
    candidates: t.candidates.map((c) => ({
      halfLifeDays: c.params.halfLifeDays,
      lambda: c.params.lambda,
      regularization: c.params.regularization,
      minSupport: c.params.minSupport,
      weights: c.params.weights,
      ndcg: c.ndcg,
    })),
    seconds: t.seconds,
  };
}
