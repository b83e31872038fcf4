import { z } from 'zod';
import { decodeJson, type Decoded } from '../shared/index.js';

/**
 * What a `send` message carries to the sender: the message (a stored template or inline
 * content) and what it renders with besides the profile: the journey and step, the run's
 * key, trigger event, items and decisions, and the step's delivery timing. Journeys write it; a
 * campaign or a test may write just `message`.
 */
export const SendPayload = z.object({
  message: z.object({
    templateId: z.string().min(1).optional(),
    content: z.record(z.string(), z.unknown()).optional(),
  }),
  journey: z.object({ id: z.string(), name: z.string(), version: z.number().int() }).optional(),
  step: z.string().optional(),
  /** Destination on the webhook channel; null or absent: the workspace's webhook URL. */
  url: z.string().nullable().optional(),
  timing: z
    .object({
      /** Deliver at the person's best hour within this window (ISO duration). */
      bestHourWithin: z.string().optional(),
      /** What to do in quiet hours; the workspace's choice when absent. */
      quietHours: z.enum(['defer', 'drop']).optional(),
    })
    .optional(),
  /** When the step queued it (epoch ms): the send-time window starts here. */
  queuedAt: z.number().optional(),
  key: z.string().nullable().optional(),
  trigger: z.record(z.string(), z.unknown()).optional(),
  items: z.array(z.record(z.string(), z.unknown())).optional(),
  /** On the `preferred` channel: the channels it may go out on, in fallback order. */
  channels: z
    .array(z.enum(['email', 'push', 'webhook']))
    .min(1)
    .optional(),
  /**
   * The run's decisions by placement (a journey's `decide` steps): an `{% offer %}` block
   * of such a placement shows that decision instead of deciding again.
   */
  decisions: z.record(z.string(), z.string()).optional(),
});
export type SendPayload = z.infer<typeof SendPayload>;

/** What a `webhook` message carries: the HTTP call a journey's webhook step rendered. */
export const WebhookCall = z.object({
  url: z.string().min(1),
  method: z.enum(['POST', 'PUT', 'PATCH', 'GET', 'DELETE']).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Absent for GET and DELETE. */
  body: z.unknown(),
});
export type WebhookCall = z.infer<typeof WebhookCall>;

/** A message's kind with the payload of that kind: the `kind` column says which schema. */
export type OutboxEntry =
  { kind: 'send'; payload: SendPayload } | { kind: 'webhook'; payload: WebhookCall };

/**
 * The payload text to store, parsed through its kind's schema on the way in as it is on
 * the way out (see `decodeOutboxEntry`). The types already promise the shape, so a
 * failure here is a bug and throws.
 */
export function encodeOutboxPayload(entry: OutboxEntry): string {
  return JSON.stringify(
    entry.kind === 'send' ? SendPayload.parse(entry.payload) : WebhookCall.parse(entry.payload),
  );
}

/** A stored message's kind and payload, decoded; `corrupt` names the field at fault. */
export function decodeOutboxEntry(kind: string, text: string): Decoded<OutboxEntry> {
  if (kind === 'send') {
    const d = decodeJson(SendPayload, text);
    return d.kind === 'ok' ? { kind: 'ok', value: { kind, payload: d.value } } : d;
  }
  if (kind === 'webhook') {
    const d = decodeJson(WebhookCall, text);
    return d.kind === 'ok' ? { kind: 'ok', value: { kind, payload: d.value } } : d;
  }
  return { kind: 'corrupt', problem: `unknown message kind "${kind}"` };
}
