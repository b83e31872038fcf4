import type { JourneyDefinition } from './definition.js';
import type { AdvanceInput, JourneyEnv } from './env.js';
import { matchesEvent, matchesFilter } from './event-filter.js';
import { updatedItems } from './items.js';
import type { JourneyEvent } from './journey-event.js';
import { keyOf, getPath } from './paths.js';
import { isEnded, type RunState } from './run-state.js';
import { Stepper, type AdvanceResult } from './stepper.js';

export { MAX_STEPS_PER_ADVANCE, type AdvanceResult } from './stepper.js';

/**
 * Moves a run forward: runs steps until the run waits or ends, and returns the new run
 * state and the effects to carry out (sends, webhooks, profile updates, the schedule,
 * the end). Pure: no I/O, time and randomness come from `env`; the input run is not
 * modified.
 *
 * Inputs: `start` runs a new run from its start step. `timer` resumes a waiting run whose
 * `wakeAt` has come (an event wait then takes its timeout edge); an early or stale timer
 * is ignored. `event` first fires a timer that is already due (worker lag must not let
 * an order that came after the timeout take the wait's event edge), then checks the goal
 * (converted) and the exit rules (exited), then updates the run's items, then resumes
 * an event wait that awaits it; any other event is ignored.
 *
 * @example
 * const env = { now, random: seededRandom(run.runId), profile, evaluateCondition };
 * const { run: next, effects } = advance(def, run, { kind: 'timer' }, env);
 */
export function advance(
  def: JourneyDefinition,
  run: RunState,
  input: AdvanceInput,
  env: JourneyEnv,
): AdvanceResult {
  const unchanged: AdvanceResult = { run, effects: [], changed: false };
  if (isEnded(run.status)) return unchanged;
  switch (input.kind) {
    case 'start': {
      if (run.status !== 'active' || run.stepCount > 0) return unchanged;
      const s = new Stepper(def, run, env);
      s.runFrom(run.stepId, null);
      return s.result();
    }
    case 'timer':
      return onTimer(def, run, env) ?? unchanged;
    case 'event': {
      // A timer that was due before this event fires first, as it would have with no
      // worker lag (and as the simulator replays it): an order arriving after the
      // timeout does not take the wait's event edge.
      const due = onTimer(def, run, env);
      if (!due) return onEvent(def, run, input.event, env) ?? unchanged;
      if (isEnded(due.run.status)) return due;
      const after = onEvent(def, due.run, input.event, env);
      return after ? { ...after, effects: [...due.effects, ...after.effects] } : due;
    }
  }
}

function onTimer(def: JourneyDefinition, run: RunState, env: JourneyEnv): AdvanceResult | null {
  if (run.status !== 'waiting' || run.wakeAt === null || env.now < run.wakeAt) return null;
  const s = new Stepper(def, run, env);
  const step = s.find(run.stepId);
  if (step?.type !== 'wait') {
    s.end('exited', 'unknown_step', run.stepId);
  } else if (step.event) {
    s.log(step.id, s.visits(step.id), 'timeout');
    s.runFrom(typeof step.next === 'string' ? step.next : step.next.timeout, null);
  } else {
    s.log(step.id, s.visits(step.id), 'resumed');
    s.runFrom(step.next as string, null);
  }
  return s.result();
}

function onEvent(
  def: JourneyDefinition,
  run: RunState,
  event: JourneyEvent,
  env: JourneyEnv,
): AdvanceResult | null {
  if (def.goal && matchesEvent(event, def.goal, run.key)) {
    const s = new Stepper(def, run, env);
    s.end('converted', 'goal', run.stepId, event);
    return s.result();
  }
  for (const rule of def.exitOn) {
    if (matchesEvent(event, rule, run.key)) {
      const s = new Stepper(def, run, env);
      s.end('exited', `exit_on:${rule.event}`, run.stepId);
      return s.result();
    }
  }
  const items = updatedItems(def, run.items, run.key, event);
  const a = run.awaiting;
  const awaited =
    run.status === 'waiting' &&
    a !== null &&
    event.event === a.event &&
    (a.keyPath === undefined || keyOf(getPath(event, a.keyPath)) === a.key) &&
    matchesFilter(event, a.where);
  if (!awaited && items === null) return null;
  const s = new Stepper(def, run, env);
  if (items !== null) s.setItems(items);
  if (awaited) {
    const step = s.find(run.stepId);
    if (step?.type !== 'wait' || typeof step.next === 'string') {
      s.end('exited', 'unknown_step', run.stepId);
    } else {
      s.log(step.id, s.visits(step.id), 'event');
      s.runFrom(step.next.event, event);
    }
  }
  return s.result();
}
