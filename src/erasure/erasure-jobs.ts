import type { Kysely } from 'kysely';
import { z } from 'zod';
import { decodeJson, newId, PersonRef, type Removed } from '../shared/index.js';
import type { Database } from '../store/index.js';

export const ErasureStatus = z.enum(['pending', 'running', 'done']);
export type ErasureStatus = z.infer<typeof ErasureStatus>;

/** An erasure job as the API shows it: no identifier of the person, ever. */
export const ErasureJob = z.object({
  id: z.string(),
  status: ErasureStatus,
  step: z.string().describe('the step the job is at; "done" once finished'),
  removed: z.record(z.string(), z.number().int()).describe('rows removed per table so far'),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ErasureJob = z.infer<typeof ErasureJob>;

const RemovedCounts = z.record(z.string(), z.number());

/** A job as the runner works it: the person it erases while it runs. */
export interface ClaimedJob {
  id: string;
  workspaceId: string;
  step: string;
  person: PersonRef | null;
  removed: Removed;
}

type Row = Database['erasure_jobs'];

function toJob(r: Pick<Row, 'id' | 'status' | 'step' | 'removed' | 'created_at' | 'finished_at'>) {
  const removed = decodeJson(RemovedCounts, r.removed);
  return {
    id: r.id,
    status: ErasureStatus.catch('pending').parse(r.status),
    step: r.step,
    removed: removed.kind === 'ok' ? removed.value : {},
    createdAt: new Date(r.created_at).toISOString(),
    finishedAt: r.finished_at === null ? null : new Date(r.finished_at).toISOString(),
  } satisfies ErasureJob;
}

/** The job asked for with this request hash, if any (a repeated request answers it). */
export async function jobForRequest(
  db: Kysely<Database>,
  workspaceId: string,
  requestHash: string,
): Promise<ErasureJob | null> {
  const row = await db
    .selectFrom('erasure_jobs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('request_hash', '=', requestHash)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row ? toJob(row) : null;
}

export async function insertJob(
  db: Kysely<Database>,
  job: { workspaceId: string; requestHash: string; person: PersonRef; firstStep: string },
  now: number,
): Promise<ErasureJob> {
  const row: Row = {
    id: newId('era'),
    workspace_id: job.workspaceId,
    request_hash: job.requestHash,
    status: 'pending',
    step: job.firstStep,
    subject: JSON.stringify(job.person),
    removed: '{}',
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
  await db.insertInto('erasure_jobs').values(row).execute();
  return toJob(row);
}

export async function readJob(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<ErasureJob | null> {
  const row = await db
    .selectFrom('erasure_jobs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toJob(row) : null;
}

/** Unfinished jobs of a workspace naming one of these profiles (a request by another id). */
export async function unfinishedJobFor(
  db: Kysely<Database>,
  workspaceId: string,
  profileIds: readonly string[],
): Promise<ErasureJob | null> {
  const rows = await db
    .selectFrom('erasure_jobs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('status', '!=', 'done')
    .execute();
  for (const r of rows) {
    const s = r.subject === null ? null : decodeJson(PersonRef, r.subject);
    if (s?.kind === 'ok' && s.value.profileIds.some((p) => profileIds.includes(p))) return toJob(r);
  }
  return null;
}

/**
 * Takes the oldest job that is pending, or running with a lease run out (its process
 * died): steps are idempotent, so taking over a job half done only finishes it.
 */
export async function claimJob(
  db: Kysely<Database>,
  now: number,
  leaseMs: number,
): Promise<ClaimedJob | null> {
  const row = await db
    .selectFrom('erasure_jobs')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'running'), eb('updated_at', '<=', now - leaseMs)]),
      ]),
    )
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const taken = await db
    .updateTable('erasure_jobs')
    .set({ status: 'running', updated_at: now })
    .where('id', '=', row.id)
    .where('updated_at', '=', row.updated_at)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 0) return null;
  const person = row.subject === null ? null : decodeJson(PersonRef, row.subject);
  const removed = decodeJson(RemovedCounts, row.removed);
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    step: row.step,
    person: person?.kind === 'ok' ? person.value : null,
    removed: removed.kind === 'ok' ? removed.value : {},
  };
}

/** Records progress (and renews the lease) in the transaction of the batch it made. */
export async function saveProgress(
  db: Kysely<Database>,
  id: string,
  step: string,
  removed: Removed,
  now: number,
): Promise<void> {
  await db
    .updateTable('erasure_jobs')
    .set({ step, removed: JSON.stringify(removed), updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** The job is done: the person's identifiers it held are dropped with it. */
export async function finishJob(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db
    .updateTable('erasure_jobs')
    .set({ status: 'done', step: 'done', subject: null, updated_at: now, finished_at: now })
    .where('id', '=', id)
    .execute();
}

/** When the latest erasure finished: serving processes poll it to drop what they hold. */
export async function erasureEpoch(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('erasure_jobs')
    .select((eb) => eb.fn.max<number | string | null>('finished_at').as('at'))
    .executeTakeFirst();
  return Number(row?.at ?? 0);
}

/** Workspaces whose erasures finished after `since`, for the processes that poll. */
export async function erasedSince(db: Kysely<Database>, since: number): Promise<string[]> {
  const rows = await db
    .selectFrom('erasure_jobs')
    .select('workspace_id')
    .distinct()
    .where('finished_at', '>', since)
    .execute();
  return rows.map((r) => r.workspace_id);
}
