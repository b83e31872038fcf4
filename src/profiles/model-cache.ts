import type { Kysely } from 'kysely';
import type { Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { eachLiveProfilePage } from './profile-reads.js';
import {
  defaultWorkspaceModel,
  fitWorkspaceModel,
  WorkspaceModel,
  type ProfileFacts,
  type UpliftScorer,
} from './computed/index.js';

/** Reads a workspace's journey uplift scorers (kept by the measurement module). */
export type UpliftScorers = (
  db: Kysely<Database>,
  workspaceId: string,
) => Promise<Record<string, UpliftScorer>>;

const KIND = 'profiles';

/**
 * The per-workspace model behind RFM scores, CLV and lifecycle defaults: fitted over
 * every profile's facts, stored so all processes share it, cached in memory.
 */
export class ModelCache {
  private readonly cache = new Map<string, { at: number; model: WorkspaceModel }>();
  private readonly refitListeners: ((workspaceId: string) => Promise<void>)[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** How long a process trusts its copy before re-reading the store. */
    private readonly ttlMs = 60_000,
    /** The `uplift.<journey>` scorers to attach; none without. */
    private readonly upliftScorers?: UpliftScorers,
  ) {}

  private async withUplift(
    db: Kysely<Database>,
    workspaceId: string,
    model: WorkspaceModel,
  ): Promise<WorkspaceModel> {
    if (!this.upliftScorers) return model;
    const uplift = await this.upliftScorers(db, workspaceId);
    return Object.keys(uplift).length > 0 ? { ...model, uplift } : model;
  }

  /** Drops this process's copy: the next read sees a newly trained uplift model. */
  forget(workspaceId: string): void {
    this.cache.delete(workspaceId);
  }

  /**
   * Inside a transaction pass its handle: on SQLite the transaction holds the only
   * connection, so reading through the store's would wait forever.
   */
  async get(workspaceId: string, db: Kysely<Database> = this.db): Promise<WorkspaceModel> {
    const now = this.clock.now();
    const hit = this.cache.get(workspaceId);
    if (hit && now - hit.at < this.ttlMs) return hit.model;
    const row = await db
      .selectFrom('workspace_models')
      .select('model')
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', KIND)
      .executeTakeFirst();
    const parsed = row ? WorkspaceModel.safeParse(JSON.parse(row.model)) : null;
    const model = await this.withUplift(
      db,
      workspaceId,
      parsed?.success ? parsed.data : defaultWorkspaceModel(now),
    );
    this.cache.set(workspaceId, { at: now, model });
    return model;
  }

  /** Of these workspaces, those whose model was never fitted or was fitted before `before`. */
  async stale(workspaceIds: readonly string[], before: number): Promise<string[]> {
    if (workspaceIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('workspace_models')
      .select(['workspace_id', 'fitted_at'])
      .where('kind', '=', KIND)
      .where('workspace_id', 'in', [...workspaceIds])
      .execute();
    const fitted = new Map(rows.map((r) => [r.workspace_id, r.fitted_at]));
    return workspaceIds.filter((id) => (fitted.get(id) ?? -Infinity) < before);
  }

  /**
   * Runs `listener` after each refit of a workspace's model, before `refresh` returns:
   * what was derived from the old model (RFM segment memberships) follows the new one.
   */
  afterRefit(listener: (workspaceId: string) => Promise<void>): void {
    this.refitListeners.push(listener);
  }

  /** Fits the model on every live profile, stores it, then runs the refit listeners. */
  async refresh(workspaceId: string): Promise<WorkspaceModel> {
    const now = this.clock.now();
    const facts: ProfileFacts[] = [];
    for await (const page of eachLiveProfilePage(this.db, workspaceId, 5000)) {
      for (const p of page) facts.push(p.facts);
    }
    const fitted = fitWorkspaceModel(facts, now);
    const text = JSON.stringify(fitted);
    await this.db
      .insertInto('workspace_models')
      .values({ workspace_id: workspaceId, kind: KIND, model: text, fitted_at: now })
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'kind']).doUpdateSet({ model: text, fitted_at: now }),
      )
      .execute();
    const model = await this.withUplift(this.db, workspaceId, fitted);
    this.cache.set(workspaceId, { at: now, model });
    for (const listener of this.refitListeners) await listener(workspaceId);
    return model;
  }
}
