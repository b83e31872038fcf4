import { z } from 'zod';
import { EventTime } from './event-time.js';
import { textProblem } from './json-checks.js';

/**
 * The Segment spec payloads (https://segment.com/docs/connections/spec/). These schemas
 * validate; the stored event is built from the client's own object so unknown keys,
 * `__proto__` keys included, are kept verbatim and never merged into a prototype.
 */
// NUL and lone surrogates are refused anywhere in an event (json-checks.ts); the indexed
// fields repeat the check so their schemas say so on their own.
const Text = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((s, ctx) => {
      const problem = textProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
const Id = z.union([Text(1024).min(1), z.number()]);
const Dict = z.record(z.string(), z.unknown());

const Common = {
  messageId: Text(255).min(1).optional(),
  userId: Id.nullish(),
  anonymousId: Id.nullish(),
  timestamp: EventTime.nullish(),
  originalTimestamp: EventTime.nullish(),
  sentAt: EventTime.nullish(),
  context: Dict.nullish(),
  integrations: Dict.nullish(),
};

/** Every call but alias needs an identity; checked even when other fields are bad. */
export function hasIdentity(e: { userId?: unknown; anonymousId?: unknown }): boolean {
  return (
    (e.userId !== undefined && e.userId !== null) ||
    (e.anonymousId !== undefined && e.anonymousId !== null)
  );
}

export const IDENTITY_PROBLEM = {
  path: 'userId',
  problem: 'either userId or anonymousId is required',
};

export const TrackEvent = z.looseObject({
  ...Common,
  type: z.literal('track'),
  event: Text(512).min(1),
  properties: Dict.nullish(),
});

export const IdentifyEvent = z.looseObject({
  ...Common,
  type: z.literal('identify'),
  traits: Dict.nullish(),
});

export const PageEvent = z.looseObject({
  ...Common,
  type: z.literal('page'),
  name: Text(512).nullish(),
  category: Text(512).nullish(),
  properties: Dict.nullish(),
});

export const ScreenEvent = z.looseObject({
  ...Common,
  type: z.literal('screen'),
  name: Text(512).nullish(),
  properties: Dict.nullish(),
});

export const GroupEvent = z.looseObject({
  ...Common,
  type: z.literal('group'),
  groupId: Id,
  traits: Dict.nullish(),
});

export const AliasEvent = z.looseObject({
  ...Common,
  type: z.literal('alias'),
  previousId: Id,
  userId: Id,
});

export const SegmentEvent = z.discriminatedUnion('type', [
  TrackEvent,
  IdentifyEvent,
  PageEvent,
  ScreenEvent,
  GroupEvent,
  AliasEvent,
]);
export type SegmentEvent = z.infer<typeof SegmentEvent>;

export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Per-type schemas for the single-event endpoints, where `type` may be omitted. */
export const SCHEMA_BY_TYPE = {
  track: TrackEvent,
  identify: IdentifyEvent,
  page: PageEvent,
  screen: ScreenEvent,
  group: GroupEvent,
  alias: AliasEvent,
} as const;

export const BatchRequest = z.looseObject({
  batch: z.array(z.unknown()).min(1, 'must hold at least one event').max(10_000),
  sentAt: EventTime.nullish(),
  context: Dict.nullish(),
  writeKey: z.string().optional(),
});
export type BatchRequest = z.infer<typeof BatchRequest>;

export const BatchResponse = z.object({
  success: z.boolean(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(
    z.object({
      index: z.number().int(),
      details: z.array(z.object({ path: z.string(), problem: z.string() })),
    }),
  ),
});
export type BatchResponse = z.infer<typeof BatchResponse>;

export const SingleResponse = z.object({ success: z.boolean(), duplicate: z.boolean() });
