import type { OutgoingMessage } from '../messaging/index.js';
import type { DerivedEvent } from '../profiles/index.js';
import type { DecideEffect, Effect, JourneyDefinition } from './core/index.js';

const PRIORITY = { low: 0, normal: 1, high: 2 } as const;

export interface EffectWrites {
  messages: OutgoingMessage[];
  profileUpdates: DerivedEvent[];
  /** Decide steps' decisions, made in the step's transaction before its messages go out. */
  decisions: DecideEffect[];
}

/**
 * Turns a step's effects into outbox messages and profile updates. Sends carry what the
 * sender needs to render and deliver: the message, the run's key, trigger and items.
 */
export function collectEffects(
  workspaceId: string,
  def: JourneyDefinition,
  effects: readonly Effect[],
  into: EffectWrites,
): void {
  for (const e of effects) {
    switch (e.type) {
      case 'send':
        into.messages.push({
          workspaceId,
          profileId: e.profileId,
          journeyId: e.journeyId,
          runId: e.runId,
          stepId: e.stepId,
          idempotencyKey: e.idempotencyKey,
          channel: e.channel,
          kind: 'send',
          topic: e.topic,
          priority: PRIORITY[e.priority],
          payload: {
            journey: { id: def.id, name: def.name, version: e.journeyVersion },
            step: e.stepId,
            message: e.message,
            url: e.url,
            ...(e.timing ? { timing: e.timing } : {}),
            queuedAt: e.at,
            key: e.payload.key,
            trigger: e.payload.trigger,
            items: e.payload.items,
            ...(e.channels ? { channels: e.channels } : {}),
            ...(e.payload.decisions ? { decisions: e.payload.decisions } : {}),
          },
        });
        break;
      case 'webhook':
        into.messages.push({
          workspaceId,
          profileId: e.profileId,
          journeyId: e.journeyId,
          runId: e.runId,
          stepId: e.stepId,
          idempotencyKey: e.idempotencyKey,
          channel: 'webhook',
          kind: 'webhook',
          topic: null,
          priority: PRIORITY.normal,
          payload: { url: e.url, method: e.method, headers: e.headers, body: e.body },
        });
        break;
      case 'suppressed':
        // Held out: recorded, never delivered, so the holdout's exposure is countable.
        into.messages.push({
          workspaceId,
          profileId: e.profileId,
          journeyId: e.journeyId,
          runId: e.runId,
          stepId: e.stepId,
          idempotencyKey: e.idempotencyKey,
          channel: e.channel ?? 'webhook',
          kind: e.action,
          topic: null,
          priority: PRIORITY.normal,
          status: 'suppressed',
          reason: e.reason,
        });
        break;
      case 'update_profile': {
        const traits: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(e.set))
          Object.defineProperty(traits, k, { value: v, enumerable: true });
        for (const k of e.unset)
          Object.defineProperty(traits, k, { value: null, enumerable: true });
        into.profileUpdates.push({
          type: 'identify',
          event: 'Journey Profile Update',
          properties: {},
          traits,
          timestamp: e.at,
        });
        break;
      }
      case 'decide':
        into.decisions.push(e);
        break;
      default:
        // schedule, convert, exit, complete: carried by the run state itself.
        break;
    }
  }
}
