import type { Kysely } from 'kysely';
import { decodeJson, type PersonRef, type Removed } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { z } from 'zod';

/** The person's journey runs (finished or not, with their state) and scheduled entries. */
export async function exportPersonJourneys(
  db: Kysely<Database>,
  person: PersonRef,
): Promise<Record<string, unknown>> {
  const runs = await db
    .selectFrom('journey_runs')
    .selectAll()
    .where('workspace_id', '=', person.workspaceId)
    .where('profile_id', 'in', person.profileIds)
    .orderBy('entered_at')
    .execute();
  return {
    journeyRuns: runs.map((r) => {
      const state = decodeJson(z.unknown(), r.state);
      return {
        id: r.id,
        journeyId: r.journey_id,
        version: r.version,
        status: r.status,
        stepId: r.step_id,
        holdout: r.holdout === 1,
        state: state.kind === 'ok' ? state.value : r.state,
        enteredAt: new Date(r.entered_at).toISOString(),
        endedAt: r.ended_at === null ? null : new Date(r.ended_at).toISOString(),
      };
    }),
  };
}

/** Ends the person's journeys for good: runs (with their timers) and schedules go. */
export async function erasePersonJourneys(
  db: Kysely<Database>,
  person: PersonRef,
  limit: number,
): Promise<Removed> {
  const ids = (
    await db
      .selectFrom('journey_runs')
      .select('id')
      .where('workspace_id', '=', person.workspaceId)
      .where('profile_id', 'in', person.profileIds)
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  const runs =
    ids.length === 0
      ? 0
      : Number(
          (await db.deleteFrom('journey_runs').where('id', 'in', ids).executeTakeFirst())
            .numDeletedRows,
        );
  const schedules = await db
    .deleteFrom('journey_schedules')
    .where('workspace_id', '=', person.workspaceId)
    .where('profile_id', 'in', person.profileIds)
    .executeTakeFirst();
  return { journey_runs: runs, journey_schedules: Number(schedules.numDeletedRows) };
}
