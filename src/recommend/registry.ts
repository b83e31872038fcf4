import type { ModelBundle } from './model.js';
import { Recommender } from './recommender.js';
import type { RecommendRequestInput, RecommendResponse } from './request.js';
import type { CatalogItemInput, Interaction } from './schemas.js';
import type { TuningReport } from './tuning-report.js';

export interface RegistryOptions {
  catalog: readonly CatalogItemInput[];
  /** Versions kept for rollback, the current one included (default 3). */
  keep?: number;
  /** Observed interactions kept for replay into new or restored versions (default 1e6). */
  replayLimit?: number;
}

export interface VersionInfo {
  version: number;
  publishedAt: number;
  trainedAt: number;
  trainedThrough: number | null;
  current: boolean;
  note: string | undefined;
  /** How the personalized model's parameters were chosen (null: not tuned). */
  tuning: TuningReport | null;
  /** `trained` in this process, or `loaded` from the store (another process's training). */
  origin: 'trained' | 'loaded';
  /** The store's version of this bundle (`recommendation_models`); null if never saved. */
  stored: number | null;
}

/** Where a published bundle came from. */
export interface BundleOrigin {
  origin: 'trained' | 'loaded';
  stored: number | null;
}

interface Entry {
  version: number;
  bundle: ModelBundle;
  recommender: Recommender;
  publishedAt: number;
  note: string | undefined;
  tuning: TuningReport | null;
  source: BundleOrigin;
  /** Sequence number of the last observed interaction applied to this recommender. */
  applied: number;
  /** False after a catalog change until the recommender is rebuilt. */
  fresh: boolean;
  /** When it last became current (a counter): the eviction and rollback order. */
  servedAt: number;
}

/**
 * Keeps trained model versions in memory and which one serves. Publishing builds the new
 * recommender beside the old one, replays the interactions observed since its training
 * snapshot, and then swaps a single reference: requests see the old version or the new
 * one, never a mix, and none fails during the swap. Rollback restores a kept version the
 * same way.
 * @example
 * const registry = new ModelRegistry({ catalog });
 * registry.publish(await trainInWorker(undefined, interactions, catalog, now), now);
 * registry.recommend({ userId: 'u1' }, now);
 * registry.rollback(); // back to the previous version
 */
export class ModelRegistry {
  private readonly entries: Entry[] = [];
  private active: Entry | null = null;
  private catalog: readonly CatalogItemInput[];
  private readonly keep: number;
  private readonly replayLimit: number;
  private readonly buffer: { seq: number; x: Interaction }[] = [];
  private seq = 0;
  private nextVersion = 1;
  private swaps = 0;

  constructor(options: RegistryOptions) {
    this.catalog = options.catalog;
    this.keep = Math.max(1, options.keep ?? 3);
    this.replayLimit = options.replayLimit ?? 1_000_000;
  }

  /** The serving recommender, or null before the first publish. */
  current(): Recommender | null {
    return this.active?.recommender ?? null;
  }

  currentVersion(): number | null {
    return this.active?.version ?? null;
  }

  /** Shorthand for `current().recommend(...)`; throws before the first publish. */
  recommend(request: RecommendRequestInput, now: number): RecommendResponse {
    if (!this.active) throw new Error('no model version has been published yet');
    return this.active.recommender.recommend(request, now);
  }

  /**
   * Makes a newly trained bundle current and returns its version number. Observed
   * interactions later than the bundle's `trainedThrough` are replayed into it first.
   * A `catalog` given here replaces the registry's (the other versions are rebuilt with
   * it when restored), without rebuilding the outgoing version first. `tuning` is kept
   * with the version and listed by `versions()`.
   */
  publish(
    bundle: ModelBundle,
    now: number,
    note?: string,
    catalog?: readonly CatalogItemInput[],
    tuning: TuningReport | null = null,
    source: BundleOrigin = { origin: 'trained', stored: null },
  ): number {
    if (catalog) this.replaceCatalog(catalog);
    const recommender = this.build(bundle);
    const entry: Entry = {
      version: this.nextVersion++,
      bundle,
      recommender,
      publishedAt: now,
      note,
      tuning,
      source,
      applied: this.seq,
      fresh: true,
      servedAt: ++this.swaps,
    };
    this.entries.push(entry);
    this.active = entry;
    // Evict the versions that served least recently; the current one always stays.
    while (this.entries.length > this.keep) {
      let oldest = -1;
      this.entries.forEach((e, i) => {
        if (e !== this.active && (oldest < 0 || e.servedAt < this.entries[oldest]!.servedAt))
          oldest = i;
      });
      this.entries.splice(oldest, 1);
    }
    return entry.version;
  }

  /**
   * Serves a kept version again (default: the one that served before the current one,
   * i.e. undo the last swap), after applying the interactions observed since it served.
   * @throws Error when that version is not kept.
   */
  rollback(version?: number): number {
    const others = this.entries.filter((e) => e !== this.active);
    const target =
      version === undefined
        ? others.sort((a, b) => b.servedAt - a.servedAt)[0]
        : this.entries.find((e) => e.version === version);
    if (!target) {
      throw new Error(
        `version ${version ?? '(previous)'} is not kept; kept: ${this.entries.map((e) => e.version).join(', ')}`,
      );
    }
    if (!target.fresh) {
      target.recommender = this.build(target.bundle);
      target.fresh = true;
    } else {
      for (const { seq, x } of this.buffer) if (seq > target.applied) target.recommender.observe(x);
    }
    target.applied = this.seq;
    target.servedAt = ++this.swaps;
    this.active = target;
    return target.version;
  }

  /** Folds an interaction into the serving version and keeps it for replay. */
  observe(interaction: Interaction): void {
    this.seq++;
    this.buffer.push({ seq: this.seq, x: interaction });
    if (this.buffer.length > this.replayLimit)
      this.buffer.splice(0, this.buffer.length - this.replayLimit);
    if (this.active) {
      this.active.recommender.observe(interaction);
      this.active.applied = this.seq;
    }
  }

  /** Replaces the catalog: rebuilds the current version now, the others when restored. */
  setCatalog(catalog: readonly CatalogItemInput[]): void {
    const recommender = this.active ? this.build(this.active.bundle, catalog) : null;
    this.replaceCatalog(catalog);
    if (this.active && recommender) {
      this.active.recommender = recommender;
      this.active.fresh = true;
      this.active.applied = this.seq;
    }
  }

  /** Every kept version is rebuilt with the new catalog when it next serves. */
  private replaceCatalog(catalog: readonly CatalogItemInput[]): void {
    this.catalog = catalog;
    for (const e of this.entries) e.fresh = false;
  }

  versions(): VersionInfo[] {
    return this.entries.map((e) => ({
      version: e.version,
      publishedAt: e.publishedAt,
      trainedAt: e.bundle.trainedAt,
      trainedThrough: e.bundle.trainedThrough,
      current: e === this.active,
      note: e.note,
      tuning: e.tuning,
      ...e.source,
    }));
  }

  /** A recommender for a bundle, caught up with interactions after its snapshot. */
  private build(bundle: ModelBundle, catalog = this.catalog): Recommender {
    const r = new Recommender({ catalog, bundle });
    const since = bundle.trainedThrough ?? -Infinity;
    for (const { x } of this.buffer) if (x.timestamp > since) r.observe(x);
    return r;
  }
}
