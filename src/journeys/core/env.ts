import type { Item } from './items.js';
import type { JourneyEvent } from './journey-event.js';
import type { RunState } from './run-state.js';
import type { Condition } from './triggers.js';

/** The person a run belongs to, as the shell loads them for one `advance`. */
export interface JourneyProfile {
  id: string;
  traits: Record<string, unknown>;
  computed: Record<string, unknown>;
  /** IANA zone; the journey's `timezone` is used when missing or unknown. */
  timezone?: string | null | undefined;
}

/** What a condition is evaluated against. */
export interface ConditionContext {
  profile: JourneyProfile;
  /** The event that started the run. */
  trigger: JourneyEvent;
  /** The event being handled now (the awaited event), null on start and timers. */
  event: JourneyEvent | null;
  key: string | null;
  items: readonly Item[];
  now: number;
  run: Pick<RunState, 'runId' | 'journeyId' | 'journeyVersion' | 'enteredAt' | 'holdout'>;
}

/** Everything `advance` may not compute itself: time, randomness, the person, conditions. */
export interface JourneyEnv {
  /** Epoch ms: real time in the shell, virtual time in tests and the simulator. */
  now: number;
  /** In [0, 1); seeded by the shell so a split can be replayed. */
  random: () => number;
  profile: JourneyProfile;
  /** Evaluates a branch case or trigger condition (the segment rule language in Rapport). */
  evaluateCondition: (condition: Condition, ctx: ConditionContext) => boolean;
}

export type AdvanceInput =
  { kind: 'start' } | { kind: 'timer' } | { kind: 'event'; event: JourneyEvent };
