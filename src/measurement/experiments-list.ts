import type { Kysely } from 'kysely';
import { listJourneys } from '../journeys/index.js';
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
 * Creates the experiments a workspace's journeys imply (a holdout, a split step) before
 * anyone is exposed, so they are listed from the start; exposures create them too.
 */
export async function syncJourneyExperiments(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<void> {
  const now = clock.now();
  for (const j of await listJourneys(db, workspaceId)) {
    const def = j.definition;
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

export async function listExperiments(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<ExperimentWithCounts[]> {
  await syncJourneyExperiments(db, clock, workspaceId);
  const counts = await armCounts(db, workspaceId);
  return (await allExperiments(db, workspaceId)).map((e) => withCounts(e, counts));
}

export async function experimentWithCounts(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  id: string,
): Promise<ExperimentWithCounts> {
  await syncJourneyExperiments(db, clock, workspaceId);
  const e = await getExperiment(db, workspaceId, id);
  return withCounts(e, await armCounts(db, workspaceId, id));
}
