import type { Kysely } from 'kysely';
import type { Clock } from '../shared/index.js';
import { withTransaction, type Database, type Store } from '../store/index.js';
import {
  listWorkspaceIds,
  readPrivacySettings,
  type PrivacySettings,
} from '../workspaces/index.js';

const DAY_MS = 86_400_000;

/**
 * One kind of record kept for a workspace's number of days (`privacy.retention`): deletes
 * at most `limit` rows older than `before` and says how many.
 */
export interface RetentionStep {
  name: string;
  setting: keyof PrivacySettings['retention'];
  run(db: Kysely<Database>, workspaceId: string, before: number, limit: number): Promise<number>;
}

/**
 * The daily retention job: for each workspace, each kind of record with a number of days
 * set loses what is older, in bounded batches (one transaction each) so the store is never
 * held long. What a record fed stays: profile facts (and the computed traits derived from
 * them) are kept when the events behind them go.
 */
export class RetentionRunner {
  private readonly lastRun = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly steps: readonly RetentionStep[],
    private readonly batchSize = 1000,
  ) {}

  /** Runs each workspace due (once a day); a WorkLoop step. Resolves the rows deleted. */
  async step(): Promise<boolean> {
    for (const workspaceId of await listWorkspaceIds(this.store.db)) {
      const now = this.clock.now();
      if (now - (this.lastRun.get(workspaceId) ?? -Infinity) < DAY_MS) continue;
      await this.runWorkspace(workspaceId, now);
      this.lastRun.set(workspaceId, now);
    }
    return false;
  }

  /** Applies a workspace's retention now; answers rows deleted per step. */
  async runWorkspace(workspaceId: string, now: number): Promise<Record<string, number>> {
    const { retention } = await readPrivacySettings(this.store.db, workspaceId);
    const deleted: Record<string, number> = {};
    for (const step of this.steps) {
      const days = retention[step.setting];
      if (days === null) continue;
      const before = now - days * DAY_MS;
      let total = 0;
      for (;;) {
        const n = await withTransaction(this.store, (tx) =>
          step.run(tx, workspaceId, before, this.batchSize),
        );
        total += n;
        if (n < this.batchSize) break;
      }
      deleted[step.name] = total;
    }
    return deleted;
  }
}
