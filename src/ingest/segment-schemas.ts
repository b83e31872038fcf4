import { z } from 'zod';

/**
 * The Segment spec payloads (https://segment.com/docs/connections/spec/). These schemas
 * validate; the stored event is built from the client's own object so unknown keys,
 * `__proto__` keys included, are kept verbatim and never merged into a prototype.
 */
// NUL cannot be stored in a PostgreSQL text column, and a lone surrogate is not text at
// all (stores turn it into U+FFFD, so two different ids would collide): refuse both in
// the indexed fields rather than fail the commit or merge strangers. Inside properties
// they stay escaped in the raw JSON.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const Text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain the NUL character' })
    .refine((s) => !LONE_SURROGATE.test(s), {
      message: 'must be valid Unicode (no lone surrogates)',
    });
const Id = z.union([Text(1024).min(1), z.number()]);
const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
  message: 'must be an ISO 8601 date-time',
});
const Dict = z.record(z.string(), z.unknown());

const Common = {
  messageId: Text(255).min(1).optional(),
  userId: Id.nullish(),
  anonymousId: Id.nullish(),
  timestamp: IsoTime.nullish(),
  originalTimestamp: IsoTime.nullish(),
  sentAt: IsoTime.nullish(),
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
  sentAt: IsoTime.nullish(),
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
