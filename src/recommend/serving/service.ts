import type { Logger } from 'pino';
import { allItems } from '../../catalog/index.js';
import type { ProfileHook } from '../../profiles/index.js';
import type { Clock } from '../../shared/index.js';
import type { Store } from '../../store/index.js';
import { ModelRegistry, type VersionInfo } from '../registry.js';
import type { RecommendRequestInput, RecommendResponse } from '../request.js';
import { trainInWorker } from '../train-worker.js';
import { interactionsOf, loadInteractions, toRecommendable } from './interactions.js';

export interface TrainResult {
  version: number;
  interactions: number;
  items: number;
  seconds: number;
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
  private catalogStamp = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  registry(workspaceId: string): ModelRegistry | undefined {
    return this.registries.get(workspaceId);
  }

  /** Trains now (one training per workspace at a time; a second call joins it). */
  train(workspaceId: string): Promise<TrainResult> {
    const running = this.training.get(workspaceId);
    if (running) return running;
    const job = this.doTrain(workspaceId).finally(() => this.training.delete(workspaceId));
    this.training.set(workspaceId, job);
    return job;
  }

  private async doTrain(workspaceId: string): Promise<TrainResult> {
    const started = performance.now();
    const now = this.clock.now();
    const [interactions, items] = await Promise.all([
      loadInteractions(this.store.db, workspaceId),
      allItems(this.store.db, workspaceId),
    ]);
    const catalog = toRecommendable(items);
    const bundle = await trainInWorker(undefined, interactions, catalog, now);
    let registry = this.registries.get(workspaceId);
    if (!registry) {
      registry = new ModelRegistry({ catalog });
      this.registries.set(workspaceId, registry);
    } else {
      registry.setCatalog(catalog);
    }
    const version = registry.publish(
      bundle,
      now,
      `${interactions.length} interactions, ${catalog.length} items`,
    );
    this.catalogStamp.set(workspaceId, now);
    const seconds = (performance.now() - started) / 1000;
    this.logger?.info(
      { workspaceId, version, interactions: interactions.length, items: catalog.length, seconds },
      'recommendation models trained',
    );
    return { version, interactions: interactions.length, items: catalog.length, seconds };
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

  /** Folds each batch's product interactions into the serving models as they commit. */
  readonly hook: ProfileHook = async (_tx, changes) => {
    for (const c of changes) {
      const registry = this.registries.get(c.workspaceId);
      if (!registry) continue;
      for (const e of c.events) for (const x of interactionsOf(c.profileId, e)) registry.observe(x);
    }
  };

  /** Refreshes the catalog (stock, prices) every few minutes without retraining. */
  async refreshCatalogs(maxAgeMs = 5 * 60_000): Promise<void> {
    const now = this.clock.now();
    for (const [workspaceId, registry] of this.registries) {
      if (now - (this.catalogStamp.get(workspaceId) ?? 0) < maxAgeMs) continue;
      registry.setCatalog(toRecommendable(await allItems(this.store.db, workspaceId)));
      this.catalogStamp.set(workspaceId, now);
    }
  }
}
