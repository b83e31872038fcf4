import type { Kysely } from 'kysely';
import {
  NotFoundError,
  removedCount,
  type Clock,
  type PersonRef,
  type Removed,
} from '../shared/index.js';
import {
  withRetriedTransaction,
  withTransaction,
  type Database,
  type Store,
} from '../store/index.js';
import { erasureHasher, type IdentifierHasher } from '../workspaces/index.js';
import {
  claimJob,
  finishJob,
  insertJob,
  jobForRequest,
  saveProgress,
  unfinishedJobFor,
  type ClaimedJob,
  type ErasureJob,
} from './erasure-jobs.js';

/** What an erase step is given besides the person. */
export interface EraseContext {
  now: number;
  /** The workspace's salted hash of identifiers (tombstones, suppressed addresses). */
  hash: IdentifierHasher;
}

/**
 * One module's part of an erasure: removes at most `limit` of the person's rows from its
 * own tables (in the job's transaction) and says how many per table. Called again until
 * it removes nothing, so it must be idempotent; a person with a million events is
 * erased a batch per transaction.
 */
export interface EraseStep {
  name: string;
  /** The tables whose personal rows this step removes (the coverage test reads this). */
  tables: readonly string[];
  run(db: Kysely<Database>, person: PersonRef, limit: number, ctx: EraseContext): Promise<Removed>;
}

export interface ErasureRunnerOptions {
  steps: readonly EraseStep[];
  /** Finds the person a kind and value name; null when nobody has it. */
  resolve(
    db: Kysely<Database>,
    workspaceId: string,
    kind: string,
    value: string,
  ): Promise<PersonRef | null>;
  /** After a job is done, outside its transactions: in-memory state, the WAL. */
  afterErased?: (workspaceId: string) => Promise<void>;
  /** Rows a step removes per transaction. */
  batchSize?: number;
  /** A running job untouched this long is taken over (its process died). */
  leaseMs?: number;
  /** Told after each committed batch (tests kill the process here). */
  onBatch?: (job: ClaimedJob, step: string) => void;
}

/**
 * Works erasure jobs: the steps in order, each in bounded batches, each batch one
 * transaction that also records where the job is. A process killed mid-job leaves the
 * job `running`; once its lease runs out any worker takes it over and goes on from the
 * step it was at (steps are idempotent).
 */
export class ErasureRunner {
  private readonly batchSize: number;
  private readonly leaseMs: number;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: ErasureRunnerOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  get steps(): readonly EraseStep[] {
    return this.options.steps;
  }

  /**
   * Starts erasing the person `kind`/`value` names, or answers the job already asked for
   * (by the same identifier, or by another of the person's while it runs). An unknown
   * person is a 404. Runs in the caller's transaction (`db`), e.g. an audited route's.
   */
  async request(
    db: Kysely<Database>,
    workspaceId: string,
    kind: string,
    value: string,
  ): Promise<{ job: ErasureJob; created: boolean }> {
    const hash = await erasureHasher(db, this.clock, workspaceId);
    const requestHash = hash(`request:${kind}`, value);
    const asked = await jobForRequest(db, workspaceId, requestHash);
    if (asked) return { job: asked, created: false };
    const person = await this.options.resolve(db, workspaceId, kind, value);
    if (!person) throw new NotFoundError(`No profile with ${kind} "${value}".`);
    const running = await unfinishedJobFor(db, workspaceId, person.profileIds);
    if (running) return { job: running, created: false };
    const first = this.options.steps[0]?.name ?? 'finish';
    const job = await insertJob(
      db,
      { workspaceId, requestHash, person, firstStep: first },
      this.clock.now(),
    );
    return { job, created: true };
  }

  /** One job worked to its end; false when none was waiting (a WorkLoop step). */
  async step(): Promise<boolean> {
    const job = await withTransaction(this.store, (tx) =>
      claimJob(tx, this.clock.now(), this.leaseMs),
    );
    if (!job) return false;
    await this.work(job);
    return true;
  }

  private async work(job: ClaimedJob): Promise<void> {
    const steps = this.options.steps;
    let i = steps.findIndex((s) => s.name === job.step);
    if (i < 0) i = steps.length;
    const removed: Removed = { ...job.removed };
    if (job.person) {
      const person = job.person;
      const hash = await erasureHasher(this.store.db, this.clock, job.workspaceId);
      while (i < steps.length) {
        const step = steps[i]!;
        const finished = await withRetriedTransaction(this.store, async (tx) => {
          const now = this.clock.now();
          const r = await step.run(tx, person, this.batchSize, { now, hash });
          for (const [table, n] of Object.entries(r)) removed[table] = (removed[table] ?? 0) + n;
          const empty = removedCount(r) === 0;
          const next = empty ? (steps[i + 1]?.name ?? 'finish') : step.name;
          await saveProgress(tx, job.id, next, removed, now);
          return empty;
        });
        this.options.onBatch?.(job, step.name);
        if (finished) i++;
      }
    }
    await withTransaction(this.store, (tx) => finishJob(tx, job.id, this.clock.now()));
    await this.options.afterErased?.(job.workspaceId);
  }
}
