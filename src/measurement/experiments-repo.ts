import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  ConflictError,
  CorruptDataError,
  decodeJson,
  NotFoundError,
  type Clock,
} from '../shared/index.js';
import type { Database, ExperimentsTable } from '../store/index.js';
import { globalControlArms, globalControlSalt, holdoutArms } from './assign.js';
import {
  DEFAULT_ATTRIBUTION_WINDOW,
  DEFAULT_CONVERSION_EVENT,
  ExperimentArm,
  ExperimentKind,
  GLOBAL_CONTROL_ID,
  type CreateExperiment,
  type Experiment,
  type UpdateExperiment,
} from './experiment.js';

const Arms = z.array(ExperimentArm);

export function toExperiment(row: ExperimentsTable): Experiment {
  const arms = decodeJson(Arms, row.arms);
  const kind = ExperimentKind.safeParse(row.kind);
  if (!kind.success)
    throw new CorruptDataError(`experiment ${row.id} has an unknown kind`, [
      { path: 'kind', problem: `"${row.kind}" is not an experiment kind` },
    ]);
  if (arms.kind === 'corrupt')
    throw new CorruptDataError(`experiment ${row.id} has unreadable arms`, [
      { path: 'arms', problem: arms.problem },
    ]);
  return {
    id: row.id,
    kind: kind.data,
    subjectId: row.subject_id,
    name: row.name,
    salt: row.salt,
    arms: arms.value,
    controlArm: row.control_arm,
    conversionEvent: row.conversion_event,
    attributionWindow: row.attribution_window,
    implicit: row.implicit === 1,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function findExperiment(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<Experiment | null> {
  const row = await db
    .selectFrom('experiments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toExperiment(row) : null;
}

export async function getExperiment(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<Experiment> {
  const e = await findExperiment(db, workspaceId, id);
  if (!e) throw new NotFoundError(`no experiment "${id}" (list them with GET /v1/experiments)`);
  return e;
}

/** What an implicit experiment is made of; the arms are fixed by what it measures. */
export interface ImplicitExperiment {
  id: string;
  kind: ExperimentKind;
  subjectId: string;
  name: string;
  salt: string;
  arms: ExperimentArm[];
  controlArm: string;
  /** The window it starts with (P7D unless given). */
  attributionWindow?: string;
}

/**
 * Creates an experiment that a journey or the global control group implies, unless it
 * exists. Its arms are refreshed (a holdout's share may change; people already assigned
 * keep their arm), its conversion event and window are the owner's to change.
 */
export async function ensureExperiment(
  db: Kysely<Database>,
  workspaceId: string,
  e: ImplicitExperiment,
  now: number,
): Promise<void> {
  const arms = JSON.stringify(e.arms);
  await db
    .insertInto('experiments')
    .values({
      workspace_id: workspaceId,
      id: e.id,
      kind: e.kind,
      subject_id: e.subjectId,
      name: e.name,
      salt: e.salt,
      arms,
      control_arm: e.controlArm,
      conversion_event: DEFAULT_CONVERSION_EVENT,
      attribution_window: e.attributionWindow ?? DEFAULT_ATTRIBUTION_WINDOW,
      implicit: 1,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['workspace_id', 'id'])
        .doUpdateSet({ arms, updated_at: now })
        .where('experiments.arms', '!=', arms),
    )
    .execute();
}

export const journeyExperimentId = (journeyId: string) => `journey:${journeyId}`;
export const stepExperimentId = (journeyId: string, stepId: string) =>
  `step:${journeyId}:${stepId}`;

export function journeyExperiment(journeyId: string, name: string, holdoutPercent: number) {
  return {
    id: journeyExperimentId(journeyId),
    kind: 'journey',
    subjectId: journeyId,
    name: `${name}: holdout`,
    salt: journeyId,
    arms: holdoutArms(holdoutPercent),
    controlArm: 'control',
  } satisfies ImplicitExperiment;
}

export function stepExperiment(
  journeyId: string,
  stepId: string,
  arms: readonly { name?: string | undefined; weight: number }[],
): ImplicitExperiment {
  return {
    id: stepExperimentId(journeyId, stepId),
    kind: 'journey_step',
    subjectId: `${journeyId}/${stepId}`,
    name: `${journeyId}: split ${stepId}`,
    // The stepper hashes `<journey>`, NUL, `<step>` with the person (journeys/core/holdout.ts);
    // a text column cannot hold NUL (PostgreSQL refuses it), so the salt shown uses a slash.
    salt: `${journeyId}/${stepId}`,
    arms: arms.map((a, i) => ({ name: `arm:${i}`, weight: a.weight, variant: a.name })),
    // The first arm is the control by convention: write the current version first.
    controlArm: 'arm:0',
  };
}

export function globalControlExperiment(workspaceId: string, percent: number): ImplicitExperiment {
  return {
    id: GLOBAL_CONTROL_ID,
    kind: 'global_control',
    subjectId: 'workspace',
    name: 'Global control group',
    salt: globalControlSalt(workspaceId),
    arms: globalControlArms(percent),
    controlArm: 'control',
    // A program's effect builds over weeks of messages, not one.
    attributionWindow: 'P30D',
  };
}

export async function createExperiment(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  input: CreateExperiment,
): Promise<Experiment> {
  const id = input.id ?? `${input.kind}:${input.subjectId}`;
  const clash = await db
    .selectFrom('experiments')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        eb('id', '=', id),
        eb.and([eb('kind', '=', input.kind), eb('subject_id', '=', input.subjectId)]),
      ]),
    )
    .executeTakeFirst();
  if (clash)
    throw new ConflictError(
      `experiment "${clash.id}" already tests ${input.kind} ${input.subjectId}`,
    );
  const now = clock.now();
  await db
    .insertInto('experiments')
    .values({
      workspace_id: workspaceId,
      id,
      kind: input.kind,
      subject_id: input.subjectId,
      name: input.name ?? `${input.kind} ${input.subjectId}`,
      salt: id,
      arms: JSON.stringify(input.arms),
      control_arm: input.controlArm,
      conversion_event: input.conversionEvent,
      attribution_window: input.attributionWindow,
      implicit: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return getExperiment(db, workspaceId, id);
}

export async function updateExperiment(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  id: string,
  input: UpdateExperiment,
): Promise<Experiment> {
  await getExperiment(db, workspaceId, id);
  await db
    .updateTable('experiments')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.conversionEvent !== undefined ? { conversion_event: input.conversionEvent } : {}),
      ...(input.attributionWindow !== undefined
        ? { attribution_window: input.attributionWindow }
        : {}),
      updated_at: clock.now(),
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
  return getExperiment(db, workspaceId, id);
}

export async function allExperiments(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<Experiment[]> {
  const rows = await db
    .selectFrom('experiments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toExperiment);
}

/** The experiment testing a subject (a template, a placement), if there is one. */
export async function experimentFor(
  db: Kysely<Database>,
  workspaceId: string,
  kind: ExperimentKind,
  subjectId: string,
): Promise<Experiment | null> {
  const row = await db
    .selectFrom('experiments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
  return row ? toExperiment(row) : null;
}
