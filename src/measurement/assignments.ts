import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { assignArm } from './assign.js';
import { GLOBAL_CONTROL_ID, type Experiment } from './experiment.js';
import { ensureExperiment, globalControlExperiment } from './experiments-repo.js';

/** One person's first exposure to one experiment. */
export interface Exposure {
  workspaceId: string;
  experimentId: string;
  profileId: string;
  arm: string;
  at: number;
}

/**
 * Records exposures; a person already assigned keeps their arm and first time (the
 * primary key and ON CONFLICT DO NOTHING: the first record wins, in every process).
 */
export async function recordExposures(
  db: Kysely<Database>,
  exposures: readonly Exposure[],
): Promise<void> {
  for (let i = 0; i < exposures.length; i += 200) {
    await db
      .insertInto('experiment_assignments')
      .values(
        exposures.slice(i, i + 200).map((e) => ({
          workspace_id: e.workspaceId,
          experiment_id: e.experimentId,
          profile_id: e.profileId,
          arm: e.arm,
          assigned_at: e.at,
        })),
      )
      .onConflict((oc) => oc.columns(['workspace_id', 'experiment_id', 'profile_id']).doNothing())
      .execute();
  }
}

export async function assignmentOf(
  db: Kysely<Database>,
  workspaceId: string,
  experimentId: string,
  profileId: string,
): Promise<{ arm: string; assignedAt: number } | null> {
  const row = await db
    .selectFrom('experiment_assignments')
    .select(['arm', 'assigned_at'])
    .where('workspace_id', '=', workspaceId)
    .where('experiment_id', '=', experimentId)
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  return row ? { arm: row.arm, assignedAt: row.assigned_at } : null;
}

/**
 * A person's arm, recording it now if this is their first exposure. The arm comes from
 * the experiment's salt and the person's id; a recorded arm always wins over a fresh
 * hash, so a person keeps their arm when weights change or profiles merge.
 */
export async function expose(
  db: Kysely<Database>,
  workspaceId: string,
  experiment: Pick<Experiment, 'id' | 'salt' | 'arms'>,
  profileId: string,
  now: number,
): Promise<string> {
  const known = await assignmentOf(db, workspaceId, experiment.id, profileId);
  if (known) return known.arm;
  const arm = assignArm(experiment.salt, profileId, experiment.arms);
  await recordExposures(db, [
    { workspaceId, experimentId: experiment.id, profileId, arm, at: now },
  ]);
  // Another process may have recorded first: its record is the one that counts.
  return (await assignmentOf(db, workspaceId, experiment.id, profileId))?.arm ?? arm;
}

/**
 * Whether a person is in the workspace's global control group, recorded at their first
 * marketing message. `percent` is the workspace setting; 0 puts nobody in it (and records
 * nothing).
 */
export async function inGlobalControl(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  percent: number,
  now: number,
): Promise<boolean> {
  if (percent <= 0) {
    const known = await assignmentOf(db, workspaceId, GLOBAL_CONTROL_ID, profileId);
    return known?.arm === 'control';
  }
  const e = globalControlExperiment(workspaceId, percent);
  await ensureExperiment(db, workspaceId, e, now);
  const arm = await expose(db, workspaceId, e, profileId, now);
  return arm === e.controlArm;
}

/**
 * Moves what merged profiles were assigned to the profile they merged into. Where both
 * were assigned, the earlier exposure is kept: a person stays in the arm they were
 * first in, whichever of their profiles it was recorded on.
 */
export async function followMerges(
  db: Kysely<Database>,
  workspaceId: string,
  winnerId: string,
  loserIds: readonly string[],
): Promise<void> {
  if (loserIds.length === 0) return;
  const rows = await db
    .selectFrom('experiment_assignments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', [winnerId, ...loserIds])
    .execute();
  const earliest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const had = earliest.get(r.experiment_id);
    if (!had || r.assigned_at < had.assigned_at) earliest.set(r.experiment_id, r);
  }
  await db
    .deleteFrom('experiment_assignments')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', [winnerId, ...loserIds])
    .execute();
  await recordExposures(
    db,
    [...earliest.values()].map((r) => ({
      workspaceId,
      experimentId: r.experiment_id,
      profileId: winnerId,
      arm: r.arm,
      at: r.assigned_at,
    })),
  );
}

/** Every assignment of one person (export for a data-subject request). */
export async function exportPersonExperiments(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<{ experimentId: string; arm: string; assignedAt: string }[]> {
  const rows = await db
    .selectFrom('experiment_assignments')
    .select(['experiment_id', 'arm', 'assigned_at'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .orderBy('assigned_at')
    .execute();
  return rows.map((r) => ({
    experimentId: r.experiment_id,
    arm: r.arm,
    assignedAt: new Date(r.assigned_at).toISOString(),
  }));
}

/** Erases a person's assignments, the global control group's included; returns how many. */
export async function erasePersonExperiments(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<number> {
  const r = await db
    .deleteFrom('experiment_assignments')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
