import { advance, type AdvanceResult } from './advance.js';
import type { JourneyDefinition } from './definition.js';
import { canEnter, matchTrigger, type PreviousRun } from './entry.js';
import type { ConditionContext, JourneyEnv } from './env.js';
import { isHoldout } from './holdout.js';
import { initialItems } from './items.js';
import type { JourneyEvent } from './journey-event.js';
import { createRun } from './run-state.js';

export type EnterResult =
  | ({ kind: 'entered' } & AdvanceResult)
  | { kind: 'no_match' }
  | { kind: 'condition_failed' }
  | { kind: 'reentry_refused'; key: string | null };

/** The context entry conditions are evaluated in: the candidate trigger as both trigger and event. */
export function entryContext(
  def: JourneyDefinition,
  event: JourneyEvent,
  key: string | null,
  env: Pick<JourneyEnv, 'now' | 'profile'>,
): ConditionContext {
  return {
    profile: env.profile,
    trigger: event,
    event,
    key,
    items: initialItems(def, event),
    now: env.now,
    run: {
      runId: '',
      journeyId: def.id,
      journeyVersion: def.version,
      enteredAt: env.now,
      holdout: isHoldout(env.profile.id, def.id, def.holdoutPercent),
    },
  };
}

/**
 * The whole entry decision for one event, in the order the shell should apply it: the
 * trigger matches, the entry conditions hold, the re-entry policy admits the key; then a
 * new run is created and started. Deliver the event to the person's unfinished runs
 * *before* calling this, so a goal that is also the trigger (replenishment) ends the old
 * run first; never deliver the trigger event to the run it created.
 *
 * @example
 * const r = tryEnter(def, { runId: newId('run'), event, previousRuns }, env);
 * if (r.kind === 'entered') save(r.run, r.effects);
 */
export function tryEnter(
  def: JourneyDefinition,
  input: { runId: string; event: JourneyEvent; previousRuns: readonly PreviousRun[] },
  env: JourneyEnv,
): EnterResult {
  const match = matchTrigger(def, input.event);
  if (!match) return { kind: 'no_match' };
  if (match.conditions.length > 0) {
    const ctx = entryContext(def, input.event, match.key, env);
    if (!match.conditions.every((c) => env.evaluateCondition(c, ctx))) {
      return { kind: 'condition_failed' };
    }
  }
  if (!canEnter(def, input.previousRuns, match.key, env.now)) {
    return { kind: 'reentry_refused', key: match.key };
  }
  const run = createRun(def, {
    runId: input.runId,
    profileId: env.profile.id,
    key: match.key,
    trigger: input.event,
    now: env.now,
  });
  return { kind: 'entered', ...advance(def, run, { kind: 'start' }, env) };
}
