import type { Channel, Message, SendChannel } from './steps.js';
import type { Item } from './items.js';
import type { JourneyEvent } from './journey-event.js';

/** Fields every effect carries, so the shell can write it without looking at the run. */
export interface EffectBase {
  runId: string;
  journeyId: string;
  journeyVersion: number;
  profileId: string;
  /** The virtual or real time the effect was produced (env.now). */
  at: number;
}

/**
 * `<runId>:<stepId>:<visit>`: the same step visit always yields the same key, so the
 * outbox can refuse a second copy after a crash and a replay.
 */
export type IdempotencyKey = string;

export interface SendEffect extends EffectBase {
  type: 'send';
  idempotencyKey: IdempotencyKey;
  stepId: string;
  visit: number;
  channel: SendChannel;
  /** With `preferred`: the channels it may go out on, in fallback order. */
  channels: Channel[] | null;
  message: Message;
  topic: string | null;
  priority: 'low' | 'normal' | 'high';
  /** Webhook channel destination; null means the workspace's default. */
  url: string | null;
  /** Delivery timing asked by the step (best hour within a window, quiet-hours mode). */
  timing: { bestHourWithin?: string | undefined; quietHours?: 'defer' | 'drop' | undefined } | null;
  /**
   * What the template renders with, besides the profile: the run key, trigger and items,
   * and the run's decisions by placement (its `{% offer %}` blocks show those).
   */
  payload: {
    key: string | null;
    trigger: JourneyEvent;
    items: Item[];
    decisions?: Record<string, string>;
  };
}

export interface WebhookEffect extends EffectBase {
  type: 'webhook';
  idempotencyKey: IdempotencyKey;
  stepId: string;
  visit: number;
  url: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'GET' | 'DELETE';
  headers: Record<string, string>;
  /** Rendered JSON body (absent for GET and DELETE). */
  body: unknown;
}

/** A send or webhook not performed because the run is in the holdout group. */
export interface SuppressedEffect extends EffectBase {
  type: 'suppressed';
  idempotencyKey: IdempotencyKey;
  stepId: string;
  visit: number;
  action: 'send' | 'webhook';
  reason: 'holdout';
  channel: SendChannel | null;
}

export interface UpdateProfileEffect extends EffectBase {
  type: 'update_profile';
  idempotencyKey: IdempotencyKey;
  stepId: string;
  visit: number;
  set: Record<string, unknown>;
  unset: string[];
}

/**
 * Decide an offer at a placement (a `decide` step). `decisionId` is derived from the step
 * visit and already kept on the run (`decisions`), so the decision is logged under it
 * once, however often the effect is replayed.
 */
export interface DecideEffect extends EffectBase {
  type: 'decide';
  idempotencyKey: IdempotencyKey;
  stepId: string;
  visit: number;
  placement: string;
  decisionId: string;
  context: Record<string, unknown>;
}

/** The run now sleeps until `wakeAt` (the run's `wakeAt` field says the same). */
export interface ScheduleEffect extends EffectBase {
  type: 'schedule';
  stepId: string;
  wakeAt: number;
}

/** The goal event came: the run ended as converted. */
export interface ConvertEffect extends EffectBase {
  type: 'convert';
  stepId: string;
  event: JourneyEvent;
}

/** An exit rule (or a defect such as an unknown step) ended the run. */
export interface ExitEffect extends EffectBase {
  type: 'exit';
  stepId: string;
  reason: string;
}

/** The run reached an exit step. */
export interface CompleteEffect extends EffectBase {
  type: 'complete';
  stepId: string;
  reason: string;
}

export type Effect =
  | SendEffect
  | WebhookEffect
  | SuppressedEffect
  | UpdateProfileEffect
  | DecideEffect
  | ScheduleEffect
  | ConvertEffect
  | ExitEffect
  | CompleteEffect;
export type EffectType = Effect['type'];
