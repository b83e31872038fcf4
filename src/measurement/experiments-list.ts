import type { Kysely } from 'kysely';
import { getJourney } from '../journeys/index.js';
import type { Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';
import type { ExperimentWithCounts } from './experiment.js';
import {
  allExperiments,
  ensureExperiment,
  getExperiment,
  journeyExperiment,
  stepExperiment,
} from './experiments-repo.js';

/**
 * Creates or refreshes the experiments one journey implies (its holdout, its split
 * steps), so they are listed from the moment the journey is saved, before anyone is
 * exposed. Called where a journey is created, changed or activated, in that write's
 * transaction; reads never write (exposures still create a missing row, see
 * journey-exposures.ts).
 */
export async function syncJourneyExperiments(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  journeyId: string,
): Promise<void> {
  const now = clock.now();
  const def = (await getJourney(db, workspaceId, journeyId)).definition;
  if (def.holdoutPercent > 0)
    await ensureExperiment(
      db,
      workspaceId,
      journeyExperiment(def.id, def.name, def.holdoutPercent),
      now,
    );
  for (const s of def.steps)
    if (s.type === 'split')
      await ensureExperiment(db, workspaceId, stepExperiment(def.id, s.id, s.arms), now);
}

async function armCounts(
  db: Kysely<Database>,
  workspaceId: string,
  experimentId?: string,
): Promise<Map<string, Record<string, number>>> {
  let q = db
    .selectFrom('experiment_assignments')
    .select((eb) => ['experiment_id', 'arm', eb.fn.countAll<number | string>().as('n')])
    .where('workspace_id', '=', workspaceId);
  if (experimentId !== undefined) q = q.where('experiment_id', '=', experimentId);
  const rows = await q.groupBy(['experiment_id', 'arm']).execute();
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const counts = out.get(r.experiment_id) ?? {};
    Object.defineProperty(counts, r.arm, { value: Number(r.n), enumerable: true });
    out.set(r.experiment_id, counts);
  }
  return out;
}

function withCounts(
  e: Awaited<ReturnType<typeof getExperiment>>,
  counts: Map<string, Record<string, number>>,
): ExperimentWithCounts {
  const had = counts.get(e.id) ?? {};
  const people: Record<string, number> = {};
  for (const a of e.arms)
    Object.defineProperty(people, a.name, { value: had[a.name] ?? 0, enumerable: true });
  // Arms no longer in the definition (a split step edited) keep their people.
  for (const [arm, n] of Object.entries(had))
    if (!(arm in people)) Object.defineProperty(people, arm, { value: n, enumerable: true });
  return { ...e, people };
}

/** Every experiment of a workspace with people per arm: a pure read. */
export async function listExperiments(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<ExperimentWithCounts[]> {
  const counts = await armCounts(db, workspaceId);
  return (await allExperiments(db, workspaceId)).map((e) => withCounts(e, counts));
}

export async function experimentWithCounts(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<ExperimentWithCounts> {
  const e = await getExperiment(db, workspaceId, id);
  return withCounts(e, await armCounts(db, workspaceId, id));
}
