import { z } from 'zod';
import type { OutboxEntry } from './outbox-payload.js';

export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'retry',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'failed',
  'dead',
  'skipped',
  'capped',
  'suppressed',
] as const;
export const MessageStatus = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof MessageStatus>;

interface OutgoingFields {
  workspaceId: string;
  profileId: string;
  journeyId: string | null;
  runId: string | null;
  stepId: string | null;
  /** One message per key, ever: a replayed step cannot send twice. */
  idempotencyKey: string;
  channel: string;
  topic: string | null;
  priority: number;
  /** Written already final (e.g. held out) instead of queued. */
  status?: 'queued' | 'suppressed' | 'skipped';
  reason?: string | null;
  /** Deliver no earlier than this (send-time optimization, quiet hours). */
  notBefore?: number;
}

/**
 * What a journey step asks to deliver; the sender renders and sends it. The payload has
 * its kind's schema (`SendPayload`, `WebhookCall`), checked when it is written and when
 * it is claimed. A message recorded already final and never delivered (a held-out send)
 * carries none.
 */
export type OutgoingMessage = OutgoingFields &
  (
    | OutboxEntry
    | { kind: OutboxEntry['kind']; status: 'suppressed' | 'skipped'; payload?: undefined }
  );

export const MessageOut = z.object({
  id: z.string(),
  profileId: z.string(),
  journeyId: z.string().nullable(),
  runId: z.string().nullable(),
  stepId: z.string().nullable(),
  idempotencyKey: z.string(),
  channel: z.string(),
  kind: z.string(),
  topic: z.string().nullable(),
  status: MessageStatus,
  reason: z.string().nullable(),
  attempts: z.number().int(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  history: z.array(z.object({ status: z.string(), at: z.string(), detail: z.string().nullable() })),
});
export type MessageOut = z.infer<typeof MessageOut>;

export const MessageQuery = z.object({
  profileId: z.string().min(1).optional(),
  journeyId: z.string().min(1).optional(),
  status: MessageStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).optional(),
});
export type MessageQuery = z.infer<typeof MessageQuery>;

export const MessagePage = z.object({
  messages: z.array(MessageOut),
  nextCursor: z.string().nullable(),
});
export type MessagePage = z.infer<typeof MessagePage>;
