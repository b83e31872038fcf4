import type { Logger } from 'pino';
import { allItems, catalogSignature } from '../../catalog/index.js';
import { processedThrough, type CommittedHook } from '../../profiles/index.js';
import type { Clock } from '../../shared/index.js';
import type { Store } from '../../store/index.js';
import {
  BUNDLE_FORMAT_VERSION,
  bundleFormatOf,
  decodeBundle,
  encodeBundle,
} from '../bundle-codec.js';
import type { ModelBundle } from '../model.js';
import { ModelRegistry, type VersionInfo } from '../registry.js';
import type { RecommendRequestInput, RecommendResponse } from '../request.js';
import type { CatalogItemInput, Interaction } from '../schemas.js';
import { trainFromLog } from '../train-worker.js';
import type { TuneOptions } from '../tune.js';
import { describeTuning, type TuningReport } from '../tuning-report.js';
import { interactionsOf, loadInteractions, toRecommendable } from './interactions.js';
import { loadModels, saveModels, storedVersionOf, storedVersions } from './model-store.js';

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
 * folded in as they arrive (popularity, co-occurrence, histories). Each training is
 * saved to the store (`recommendation_models`): a process that starts loads it and
 * serves at once, and the others pick it up by its version instead of training too.
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
  /** Per workspace: the stored version this process holds (saved, loaded, or seen unusable). */
  private readonly stored = new Map<string, number>();
  private readonly loading = new Map<string, Promise<{ trainedAt: number } | null>>();
  /** Per workspace: when its serving models were trained, here or by the process saving them. */
  private readonly lastTrained = new Map<string, number>();
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
    const stored = await this.save(workspaceId, bundle, {
      trainedAt: now,
      logThrough: through,
      interactions,
      items: catalog.length,
    });
    const version = this.registryOf(workspaceId, catalog).publish(
      bundle,
      now,
      `${interactions} interactions, ${catalog.length} items`,
      catalog,
      tuning,
      { origin: 'trained', stored },
    );
    this.lastTrained.set(workspaceId, now);
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

  /**
   * One round of the schedule: for each workspace, the models another process saved
   * since are loaded; then they are retrained if `everyMs` passed since their training
   * (wherever it ran) or the log grew enough (`grewSinceTraining`). A process that starts
   * with a saved bundle therefore serves it at once and trains only when it is due.
   */
  async scheduled(workspaceIds: readonly string[], everyMs: number): Promise<void> {
    for (const id of workspaceIds) {
      await this.loadStored(id);
      const due = this.clock.now() - (this.lastTrained.get(id) ?? -Infinity) >= everyMs;
      if (!due && !(await this.grewSinceTraining(id))) continue;
      await this.train(id);
    }
    await this.refreshCatalogs();
  }

  /**
   * Loads the workspace's stored models if they are newer than what this process holds
   * and serves them: no training. Resolves with their training time, or null when there
   * was nothing newer to load. A bundle that does not decode (damaged, or written in
   * another format version) is logged and skipped, never thrown: the schedule then trains.
   */
  loadStored(workspaceId: string): Promise<{ trainedAt: number } | null> {
    // A training running here will save something newer than anything stored now.
    if (this.training.has(workspaceId)) return Promise.resolve(null);
    const running = this.loading.get(workspaceId);
    if (running) return running;
    const job = this.doLoad(workspaceId).finally(() => this.loading.delete(workspaceId));
    this.loading.set(workspaceId, job);
    return job;
  }

  private async doLoad(workspaceId: string): Promise<{ trainedAt: number } | null> {
    const db = this.store.db;
    const held = this.stored.get(workspaceId) ?? 0;
    if ((await storedVersionOf(db, workspaceId)) <= held) return null;
    const row = await loadModels(db, workspaceId);
    if (!row || row.version <= held) return null;
    // Seen, usable or not: a damaged bundle is reported once, not at every poll.
    this.stored.set(workspaceId, row.version);
    if (!row.bundle) return null; // emptied by an erasure: the erasing process retrains
    let bundle: ModelBundle;
    try {
      bundle = decodeBundle(row.bundle);
    } catch (error) {
      const format = bundleFormatOf(row.bundle);
      this.logger?.warn(
        { workspace: workspaceId, stored: row.version, format, problem: String(error) },
        format !== null && format !== BUNDLE_FORMAT_VERSION
          ? 'stored recommendation models are of another format version: training instead'
          : 'stored recommendation models are unreadable: training instead',
      );
      return null;
    }
    const signature = await catalogSignature(db, workspaceId);
    const catalog = toRecommendable(await allItems(db, workspaceId));
    // A new registry has seen nothing: what the log gained since the bundle's training is
    // read now. One that serves already replays what it observed (its buffer).
    const fresh = !this.registries.has(workspaceId);
    const through = fresh ? await processedThrough(db) : row.logThrough;
    const since: Interaction[] =
      fresh && through > row.logThrough
        ? await loadInteractions(db, workspaceId, row.logThrough, through)
        : [];
    if (this.training.has(workspaceId) || (this.stored.get(workspaceId) ?? 0) > row.version)
      return null;
    const now = this.clock.now();
    const registry = this.registryOf(workspaceId, catalog);
    const version = registry.publish(
      bundle,
      now,
      `loaded: ${row.interactions} interactions, ${row.items} items`,
      catalog,
      // The tuning report stays with the process that trained (not saved with the bundle).
      null,
      { origin: 'loaded', stored: row.version },
    );
    for (const x of since) registry.observe(x);
    this.catalogChecked.set(workspaceId, now);
    this.catalogSeen.set(workspaceId, signature);
    this.folded.set(workspaceId, Math.max(this.folded.get(workspaceId) ?? 0, through));
    this.trainedThrough.set(workspaceId, row.logThrough);
    this.lastTrained.set(workspaceId, row.trainedAt);
    this.logger?.info(
      { workspace: workspaceId, version, stored: row.version, caughtUp: since.length },
      'recommendation models loaded from the store',
    );
    return { trainedAt: row.trainedAt };
  }

  /** Loads every workspace's stored models that are newer than this process's. */
  async syncStored(): Promise<void> {
    for (const [workspaceId, version] of await storedVersions(this.store.db)) {
      if (version > (this.stored.get(workspaceId) ?? 0)) await this.loadStored(workspaceId);
    }
  }

  /** Saves a training for the other processes; a failure costs them a training, not this one. */
  private async save(
    workspaceId: string,
    bundle: ModelBundle,
    meta: { trainedAt: number; logThrough: number; interactions: number; items: number },
  ): Promise<number | null> {
    try {
      const version = await saveModels(
        this.store.db,
        workspaceId,
        { ...meta, formatVersion: BUNDLE_FORMAT_VERSION, bundle: encodeBundle(bundle) },
        this.clock.now(),
      );
      this.stored.set(workspaceId, Math.max(version, this.stored.get(workspaceId) ?? 0));
      return version;
    } catch (error) {
      this.logger?.warn(
        { workspace: workspaceId, err: error },
        'recommendation models trained but not saved: other processes will train their own',
      );
      return null;
    }
  }

  private registryOf(workspaceId: string, catalog: CatalogItemInput[]): ModelRegistry {
    let registry = this.registries.get(workspaceId);
    if (!registry) {
      registry = new ModelRegistry({ catalog });
      this.registries.set(workspaceId, registry);
    }
    return registry;
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
    await this.syncStored();
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
