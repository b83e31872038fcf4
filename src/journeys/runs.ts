import type { Selectable } from 'kysely';
import { decodeJson } from '../shared/index.js';
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

/** A stored run, decoded; `unreadable` when its state did not decode (see `readRun`). */
export interface ReadRun {
  run: RunState;
  unreadable: boolean;
}

/**
 * The run a row holds, its state decoded through `RunState`. A state that does not
 * decode cannot be stepped, and nothing but the row's columns is known of it, so it reads
 * as a run that ended: `exited` at the step its row names, with `unreadable state: <field:
 * problem>` as the end reason, no timer and no history. Every reader sees the same run;
 * the stage writes it back so that no timer claims it again.
 */
export function readRun(row: RunRow): ReadRun {
  const decoded = decodeJson(RunState, row.state);
  if (decoded.kind === 'ok') return { run: decoded.value, unreadable: false };
  return {
    unreadable: true,
    run: {
      runId: row.id,
      journeyId: row.journey_id,
      journeyVersion: row.version,
      profileId: row.profile_id,
      key: row.key,
      holdout: row.holdout === 1,
      status: 'exited',
      stepId: row.step_id,
      enteredAt: row.entered_at,
      updatedAt: row.updated_at,
      endedAt: row.ended_at ?? row.updated_at,
      endReason: `unreadable state: ${decoded.problem}`,
      wakeAt: null,
      awaiting: null,
      trigger: { event: UNREADABLE_TRIGGER, timestamp: row.entered_at },
      items: [],
      visits: {},
      stepCount: 0,
      history: [],
    },
  };
}

/** The trigger event name of a run whose state was unreadable: the real one is lost. */
export const UNREADABLE_TRIGGER = '(unreadable)';

/** An unreadable run as the stage writes it back: ended now. */
export function endedNow(run: RunState, now: number): RunState {
  return { ...run, updatedAt: now, endedAt: now };
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
