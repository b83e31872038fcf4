import type { RunState } from './run-state.js';

// Field by field rather than `{ ...run, visits, history }`: V8 defines the properties that
// follow a spread in a literal one runtime call at a time, which made each advance several
// times slower. Effects above spell out their common fields for the same reason.
export function copyRun(run: RunState): RunState {
  return {
    runId: run.runId,
    journeyId: run.journeyId,
    journeyVersion: run.journeyVersion,
    profileId: run.profileId,
    key: run.key,
    holdout: run.holdout,
    status: run.status,
    stepId: run.stepId,
    enteredAt: run.enteredAt,
    updatedAt: run.updatedAt,
    endedAt: run.endedAt,
    endReason: run.endReason,
    wakeAt: run.wakeAt,
    awaiting: run.awaiting,
    trigger: run.trigger,
    items: run.items,
    visits: copyVisits(run.visits),
    stepCount: run.stepCount,
    history: run.history.slice(),
    ...(run.decisions ? { decisions: run.decisions } : {}),
  };
}

// A null-prototype object is a dictionary in V8: adding a step id is a hash insert, not a
// hidden-class transition through a megamorphic store. It serializes like any object.
function copyVisits(visits: Record<string, number>): Record<string, number> {
  const out = Object.create(null) as Record<string, number>;
  for (const k in visits) out[k] = visits[k]!;
  return out;
}
