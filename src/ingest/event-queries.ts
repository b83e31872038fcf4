import { z } from 'zod';
import type { Kysely } from 'kysely';
import { decodeJson } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { readStoredPayload } from './json-checks.js';
import { EVENT_TYPES } from './segment-schemas.js';

export const EventFilter = z.object({
  userId: z.string().min(1).optional(),
  anonymousId: z.string().min(1).optional(),
  type: z.enum(EVENT_TYPES).optional(),
  event: z.string().min(1).optional(),
  messageId: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z
    .string()
    .regex(/^[0-9]+$/, 'must be a cursor returned by a previous page')
    .optional(),
});
export type EventFilter = z.infer<typeof EventFilter>;

export const StoredEvent = z.object({
  id: z.number().int(),
  messageId: z.string(),
  type: z.enum(EVENT_TYPES),
  event: z.string().nullable(),
  userId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  previousId: z.string().nullable(),
  groupId: z.string().nullable(),
  timestamp: z.string(),
  receivedAt: z.string(),
  sentAt: z.string().nullable(),
  /** The event as the client sent it; null when it cannot be shown as JSON (then see `raw`). */
  payload: z.record(z.string(), z.unknown()).nullable(),
  /** The stored text, given only when `payload` is null. */
  raw: z.string().optional(),
});
export type StoredEvent = z.infer<typeof StoredEvent>;

export const EventPage = z.object({
  events: z.array(StoredEvent),
  nextCursor: z.string().nullable(),
});
export type EventPage = z.infer<typeof EventPage>;

const iso = (ms: number) => new Date(ms).toISOString();

/** Newest first, paged by id. */
export async function listEvents(
  db: Kysely<Database>,
  workspaceId: string,
  filter: EventFilter,
): Promise<EventPage> {
  let q = db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.userId) q = q.where('user_id', '=', filter.userId);
  if (filter.anonymousId) q = q.where('anonymous_id', '=', filter.anonymousId);
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.event) q = q.where('event', '=', filter.event);
  if (filter.messageId) q = q.where('message_id', '=', filter.messageId);
  if (filter.cursor) q = q.where('id', '<', Number(filter.cursor));
  const rows = await q
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  return {
    events: page.map((r) => {
      const payload = readStoredPayload(r.raw);
      return {
        id: r.id,
        messageId: r.message_id,
        type: r.type as StoredEvent['type'],
        event: r.event,
        userId: r.user_id,
        anonymousId: r.anonymous_id,
        previousId: r.previous_id,
        groupId: r.group_id,
        timestamp: iso(r.timestamp),
        receivedAt: iso(r.received_at),
        sentAt: r.sent_at === null ? null : iso(r.sent_at),
        payload,
        ...(payload === null ? { raw: r.raw } : {}),
      };
    }),
    nextCursor: rows.length > filter.limit ? String(page[page.length - 1]!.id) : null,
  };
}

export const RejectedFilter = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z
    .string()
    .regex(/^[0-9]+$/, 'must be a cursor returned by a previous page')
    .optional(),
});
export type RejectedFilter = z.infer<typeof RejectedFilter>;

export const RejectedPage = z.object({
  rejected: z.array(
    z.object({
      id: z.number().int(),
      receivedAt: z.string(),
      batchIndex: z.number().int().nullable(),
      details: z.array(z.object({ path: z.string(), problem: z.string() })),
      raw: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type RejectedPage = z.infer<typeof RejectedPage>;

const RejectedDetails = RejectedPage.shape.rejected.element.shape.details;

/** A refusal's stored reasons; unreadable ones are listed as one reason saying so. */
function rejectedDetails(text: string): RejectedPage['rejected'][number]['details'] {
  const d = decodeJson(RejectedDetails, text);
  return d.kind === 'ok'
    ? d.value
    : [{ path: '', problem: `stored reasons unreadable: ${d.problem}` }];
}

export async function listRejected(
  db: Kysely<Database>,
  workspaceId: string,
  filter: RejectedFilter,
): Promise<RejectedPage> {
  let q = db.selectFrom('rejected_events').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.cursor) q = q.where('id', '<', Number(filter.cursor));
  const rows = await q
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  return {
    rejected: page.map((r) => ({
      id: r.id,
      receivedAt: iso(r.received_at),
      batchIndex: r.batch_index,
      details: rejectedDetails(r.details),
      raw: r.raw,
    })),
    nextCursor: rows.length > filter.limit ? String(page[page.length - 1]!.id) : null,
  };
}
