import type { Selectable } from 'kysely';
import type { JourneyRunsTable, Tx } from '../store/index.js';
import { RunState, isEnded } from './core/index.js';

export type RunRow = Selectable<JourneyRunsTable>;

export function toRow(workspaceId: string, run: RunState): RunRow {
  return {
    id: run.runId,
    workspace_id: workspaceId,
    journey_id: run.journeyId,
    version: run.journeyVersion,
    profile_id: run.profileId,
    key: run.key,
    status: run.status,
    step_id: run.stepId,
    holdout: run.holdout ? 1 : 0,
    wake_at: isEnded(run.status) ? null : run.wakeAt,
    state: JSON.stringify(run),
    entered_at: run.enteredAt,
    updated_at: run.updatedAt,
    ended_at: run.endedAt,
  };
}

export function parseRun(row: RunRow): RunState {
  return JSON.parse(row.state) as RunState;
}

/** Inserts or updates runs (one statement per 100). */
export async function saveRuns(tx: Tx, rows: readonly RunRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) {
    await tx
      .insertInto('journey_runs')
      .values(rows.slice(i, i + 100))
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          step_id: eb.ref('excluded.step_id'),
          wake_at: eb.ref('excluded.wake_at'),
          state: eb.ref('excluded.state'),
          updated_at: eb.ref('excluded.updated_at'),
          ended_at: eb.ref('excluded.ended_at'),
        })),
      )
      .execute();
  }
}
