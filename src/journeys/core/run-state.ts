import { z } from 'zod';
import type { JourneyDefinition } from './definition.js';
import { EventFilter } from './event-filter.js';
import { isHoldout } from './holdout.js';
import { initialItems, Item } from './items.js';
import { JourneyEvent } from './journey-event.js';

/**
 * `active`: created, not started yet (or running inside `advance`); `waiting`: parked on a
 * wait step; `completed`: reached an exit step; `exited`: an exit rule (or a broken
 * definition) ended it; `converted`: the goal event came.
 */
export const RunStatus = z.enum(['active', 'waiting', 'completed', 'exited', 'converted']);
export type RunStatus = z.infer<typeof RunStatus>;

export const ENDED_STATUSES: readonly RunStatus[] = ['completed', 'exited', 'converted'];

/** Whether a run has finished (no input changes it any more). */
export function isEnded(status: RunStatus): boolean {
  return status === 'completed' || status === 'exited' || status === 'converted';
}

/** What a parked event wait listens for; `key` is the run key value it must carry. */
export const AwaitedEvent = z.object({
  event: z.string(),
  where: EventFilter.optional(),
  keyPath: z.string().optional(),
  key: z.string().nullable(),
});
export type AwaitedEvent = z.infer<typeof AwaitedEvent>;

export const HistoryEntry = z.object({
  stepId: z.string(),
  visit: z.number().int(),
  at: z.number(),
  /** e.g. `waiting`, `timeout`, `event`, `case:0`, `default`, `arm:1`, `sent`, `held_out`. */
  outcome: z.string(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** Only the most recent entries are kept; `visits` keeps the full counts. */
export const HISTORY_LIMIT = 100;

/**
 * One person's run through one version of a journey. Plain JSON: the shell stores it as
 * it is and indexes `status`, `wakeAt` (the timer) and `awaiting.event`.
 */
export const RunState = z.object({
  runId: z.string().min(1),
  journeyId: z.string(),
  journeyVersion: z.number().int(),
  profileId: z.string(),
  key: z.string().nullable(),
  holdout: z.boolean(),
  status: RunStatus,
  /** The step the run is at (or ended at). */
  stepId: z.string(),
  enteredAt: z.number(),
  updatedAt: z.number(),
  endedAt: z.number().nullable(),
  endReason: z.string().nullable(),
  /** When the shell must deliver a `timer` input; null when no timer is due. */
  wakeAt: z.number().nullable(),
  awaiting: AwaitedEvent.nullable(),
  /** The event that started the run. */
  trigger: JourneyEvent,
  /** The cart's (or order's) products, kept current by item tracking. */
  items: z.array(Item),
  /** Visits per step id: the visit number makes idempotency keys unique. */
  visits: z.record(z.string(), z.number().int()),
  /** Steps executed so far. */
  stepCount: z.number().int(),
  /**
   * The decision of each placement a `decide` step chose (placement -> decision id), the
   * latest visit's: a later send's `{% offer %}` shows it. Absent in runs stored before.
   */
  decisions: z.record(z.string(), z.string()).optional(),
  history: z.array(HistoryEntry),
});
export type RunState = z.infer<typeof RunState>;

export interface CreateRunInput {
  /** Unique and stable: it prefixes every idempotency key of the run. */
  runId: string;
  profileId: string;
  /** From `matchTrigger`. */
  key: string | null;
  trigger: JourneyEvent;
  now: number;
  /** Overrides the hash-based assignment (e.g. a forced group in tests). */
  holdout?: boolean;
}

/**
 * A new run at the journey's start step, not yet started: pass it to `advance` with
 * `{ kind: 'start' }`.
 *
 * @example
 * const run = createRun(def, { runId: 'run_1', profileId: 'p1', key: 'cart-9', trigger: event, now });
 * const { run: started, effects } = advance(def, run, { kind: 'start' }, env);
 */
export function createRun(def: JourneyDefinition, input: CreateRunInput): RunState {
  return {
    runId: input.runId,
    journeyId: def.id,
    journeyVersion: def.version,
    profileId: input.profileId,
    key: input.key,
    holdout: input.holdout ?? isHoldout(input.profileId, def.id, def.holdoutPercent),
    status: 'active',
    stepId: def.start,
    enteredAt: input.now,
    updatedAt: input.now,
    endedAt: null,
    endReason: null,
    wakeAt: null,
    awaiting: null,
    trigger: input.trigger,
    items: initialItems(def, input.trigger),
    visits: {},
    stepCount: 0,
    history: [],
  };
}
