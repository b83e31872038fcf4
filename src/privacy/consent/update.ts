import { z } from 'zod';
import type { ConsentChange, ConsentSource, ConsentState } from './consent.js';
import { CONSENT_CHANNELS, ConsentState as StateSchema, Topic } from './consent.js';

const Value = z.union([StateSchema, z.boolean()]);

/**
 * A consent update in one shape for the API body (`PUT …/consent`), the preference
 * center form and the `consent` identify trait: `true`/`false` or a state per channel,
 * per topic and for personalization.
 *
 * @example { "email": "denied", "topics": { "offers": "granted" }, "personalization": false }
 */
export const ConsentUpdate = z.strictObject({
  email: Value.optional(),
  push: Value.optional(),
  sms: Value.optional(),
  webhook: Value.optional(),
  in_app: Value.optional(),
  topics: z.record(Topic, Value).optional(),
  personalization: Value.optional(),
});
export type ConsentUpdate = z.infer<typeof ConsentUpdate>;

function state(value: ConsentState | boolean): ConsentState {
  if (value === true) return 'granted';
  if (value === false) return 'denied';
  return value;
}

/** The changes a validated update makes, all with one source and time. */
export function changesFromUpdate(
  update: ConsentUpdate,
  source: ConsentSource,
  at: number,
): ConsentChange[] {
  const changes: ConsentChange[] = [];
  for (const channel of CONSENT_CHANNELS) {
    const value = update[channel];
    if (value !== undefined) {
      changes.push({ target: { kind: 'channel', channel }, state: state(value), source, at });
    }
  }
  for (const [topic, value] of Object.entries(update.topics ?? {})) {
    changes.push({ target: { kind: 'topic', topic }, state: state(value), source, at });
  }
  if (update.personalization !== undefined) {
    changes.push({
      target: { kind: 'personalization' },
      state: state(update.personalization),
      source,
      at,
    });
  }
  return changes;
}
