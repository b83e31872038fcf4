import type { Selectable } from 'kysely';
import type { EventsTable } from '../store/index.js';
import type { ProfileEvent } from './computed/index.js';

export type EventRowOut = Selectable<EventsTable>;

const objectOr = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** A logged event with the payload fields the profile stage reads. */
export interface LoggedEvent extends ProfileEvent {
  id: number;
  workspaceId: string;
  userId: string | null;
  anonymousId: string | null;
  previousId: string | null;
  /** When Rapport received it; a statement in it (consent) is never dated later. */
  receivedAt: number;
}

/**
 * Reads an event row for the profile core. The raw payload was validated at ingestion;
 * a track's `properties` and an identify's `traits` are taken as objects or ignored.
 */
export function toLoggedEvent(row: EventRowOut): LoggedEvent {
  let payload: Record<string, unknown> = {};
  try {
    payload = objectOr(JSON.parse(row.raw));
  } catch {
    // Imported rows are JSON too; a corrupt one simply carries no payload.
  }
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    messageId: row.message_id,
    type: row.type as ProfileEvent['type'],
    event: row.event,
    timestamp: row.timestamp,
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    previousId: row.previous_id,
    receivedAt: row.received_at,
    properties: objectOr(payload.properties),
    traits: objectOr(payload.traits),
    context: objectOr(payload.context),
  };
}
