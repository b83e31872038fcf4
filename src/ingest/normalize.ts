import { randomUUID } from 'node:crypto';
import type { ErrorDetail } from '../shared/index.js';
import { zodDetails } from '../shared/index.js';
import { eventTime, parseEventTime } from './event-time.js';
import { findJsonProblem } from './json-checks.js';
import { MAX_EVENT_BYTES } from './limits.js';
import {
  IDENTITY_PROBLEM,
  SCHEMA_BY_TYPE,
  SegmentEvent,
  hasIdentity,
  type EventType,
} from './segment-schemas.js';

/** An accepted event, ready for the log. */
export interface NormalizedEvent {
  workspaceId: string;
  messageId: string;
  type: EventType;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  previousId: string | null;
  groupId: string | null;
  timestamp: number;
  receivedAt: number;
  sentAt: number | null;
  raw: string;
}

export type NormalizeResult =
  { kind: 'ok'; event: NormalizedEvent } | { kind: 'invalid'; details: ErrorDetail[] };

export interface NormalizeInput {
  workspaceId: string;
  value: unknown;
  raw: string;
  receivedAt: number;
  /** Set by the single-event endpoints: the type the URL names. */
  expectedType?: EventType;
  /** The batch-level sentAt, used when the event has none. */
  batchSentAt?: string | number | null | undefined;
}

const idString = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;

/**
 * Validates one Segment payload and derives the stored fields. The event time follows
 * Segment: a client time (`originalTimestamp`, else `timestamp`) sent with `sentAt` is
 * corrected for the device's clock skew as `receivedAt - (sentAt - clientTime)`; see
 * {@link eventTime} for the bound on future times.
 */
export function normalizeEvent(input: NormalizeInput): NormalizeResult {
  const { value, raw, expectedType } = input;
  if (Buffer.byteLength(raw, 'utf8') > MAX_EVENT_BYTES) {
    return {
      kind: 'invalid',
      details: [{ path: '', problem: `event is larger than ${MAX_EVENT_BYTES} bytes` }],
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', details: [{ path: '', problem: 'event must be a JSON object' }] };
  }
  const stored = findJsonProblem(value);
  if (stored) return { kind: 'invalid', details: [stored] };
  const obj = value as Record<string, unknown>;
  let type = obj.type;
  if (expectedType) {
    if (type !== undefined && type !== expectedType) {
      return {
        kind: 'invalid',
        details: [{ path: 'type', problem: `must be "${expectedType}" on this endpoint` }],
      };
    }
    type = expectedType;
  }
  const schema =
    typeof type === 'string' && Object.hasOwn(SCHEMA_BY_TYPE, type)
      ? SCHEMA_BY_TYPE[type as EventType]
      : SegmentEvent;
  const checked = schema.safeParse(type === obj.type ? obj : { ...obj, type });
  const details = checked.success ? [] : zodDetails(checked.error);
  if (type !== 'alias' && !hasIdentity(obj) && !details.some((d) => d.path === 'userId')) {
    details.push(IDENTITY_PROBLEM);
  }
  if (details.length > 0) return { kind: 'invalid', details };

  const receivedAt = input.receivedAt;
  const timeOf = (v: unknown): number | null => {
    const parsed = v === undefined || v === null ? null : parseEventTime(v);
    return parsed?.kind === 'ok' ? parsed.ms : null;
  };
  const sentAt = timeOf(obj.sentAt) ?? timeOf(input.batchSentAt);
  const clientTime = timeOf(obj.originalTimestamp) ?? timeOf(obj.timestamp);
  const timestamp = eventTime(clientTime, sentAt, receivedAt);

  const t = type as EventType;
  return {
    kind: 'ok',
    event: {
      workspaceId: input.workspaceId,
      messageId: (obj.messageId as string | undefined) ?? `rapport-${randomUUID()}`,
      type: t,
      event:
        t === 'track'
          ? (obj.event as string)
          : t === 'page' || t === 'screen'
            ? ((obj.name as string | null | undefined) ?? null)
            : null,
      userId: idString(obj.userId),
      anonymousId: idString(obj.anonymousId),
      previousId: t === 'alias' ? idString(obj.previousId) : null,
      groupId: t === 'group' ? idString(obj.groupId) : null,
      timestamp,
      receivedAt,
      sentAt,
      raw,
    },
  };
}
