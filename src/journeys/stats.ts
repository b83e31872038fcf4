import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { getJourney } from './journey-repo.js';
import { readRun } from './runs.js';
import { messageCountsByStatus } from '../messaging/index.js';
import type { JourneyStats } from './journey.js';

type Counts = JourneyStats['steps'][number]['treated'];
const zero = (): Counts => ({ entered: 0, waiting: 0, completed: 0, exited: 0, converted: 0 });

/**
 * Per step: how many runs entered it (visits), are waiting on it, and ended there as
 * completed, exited or converted; holdout and treated apart, over every version.
 */
export async function journeyStats(
  db: Kysely<Database>,
  workspaceId: string,
  journeyId: string,
): Promise<JourneyStats> {
  const journey = await getJourney(db, workspaceId, journeyId);
  const steps = new Map<string, { type: string; treated: Counts; holdout: Counts }>();
  for (const s of journey.definition.steps) {
    steps.set(s.id, { type: s.type, treated: zero(), holdout: zero() });
  }
  const runs = { treated: 0, holdout: 0 };
  const converted = { treated: 0, holdout: 0 };
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('journey_runs')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('journey_id', '=', journeyId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(5000)
      .execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    for (const row of rows) {
      const { run } = readRun(row);
      const group = row.holdout ? 'holdout' : 'treated';
      runs[group]++;
      if (run.status === 'converted') converted[group]++;
      for (const [stepId, visits] of Object.entries(run.visits)) {
        let s = steps.get(stepId);
        if (!s) steps.set(stepId, (s = { type: 'removed', treated: zero(), holdout: zero() }));
        s[group].entered += visits;
      }
      let at = steps.get(run.stepId);
      if (!at) steps.set(run.stepId, (at = { type: 'removed', treated: zero(), holdout: zero() }));
      if (run.status === 'waiting' || run.status === 'active') at[group].waiting++;
      else if (run.status === 'completed') at[group].completed++;
      else if (run.status === 'exited') at[group].exited++;
      else if (run.status === 'converted') at[group].converted++;
    }
  }
  const messages = await messageCountsByStatus(db, workspaceId, journeyId);
  const rate = (c: number, n: number) => (n === 0 ? null : c / n);
  return {
    journeyId,
    runs,
    converted,
    conversionRate: {
      treated: rate(converted.treated, runs.treated),
      holdout: rate(converted.holdout, runs.holdout),
    },
    // Measurement's experiment of the holdout (docs/measurement.md) has the honest numbers.
    report:
      journey.definition.holdoutPercent > 0
        ? `/v1/experiments/${encodeURIComponent(`journey:${journeyId}`)}/report`
        : null,
    messages,
    steps: [...steps].map(([stepId, s]) => ({ stepId, ...s })),
  };
}

/** Where one person is in each journey, and how they got there. */
export async function runsOfProfile(db: Kysely<Database>, workspaceId: string, profileId: string) {
  const rows = await db
    .selectFrom('journey_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .orderBy('entered_at', 'desc')
    .execute();
  return rows.map((r) => {
    const { run } = readRun(r);
    return {
      runId: run.runId,
      journeyId: run.journeyId,
      version: run.journeyVersion,
      key: run.key,
      status: run.status,
      stepId: run.stepId,
      holdout: run.holdout,
      enteredAt: new Date(run.enteredAt).toISOString(),
      wakeAt: run.wakeAt === null ? null : new Date(run.wakeAt).toISOString(),
      endedAt: run.endedAt === null ? null : new Date(run.endedAt).toISOString(),
      endReason: run.endReason,
      trigger: run.trigger,
      history: run.history.map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
    };
  });
}
