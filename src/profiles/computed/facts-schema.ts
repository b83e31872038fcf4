import { z } from 'zod';
import { isCanonical, type Entries } from './records.js';

/** A map stored as `[key, value]` pairs sorted by key (see records.ts). */
const entries = <T extends z.ZodType>(value: T) =>
  z.array(z.tuple([z.string(), value])).refine((list) => isCanonical(list as Entries<unknown>), {
    message: 'keys must be unique and in sorted order',
  });

const Count = z.number().int().min(0);
const Time = z.number();
const Hours = z.array(Count).length(24);

/** A last-writer-wins register: the value with the greatest (at, m) wins. */
const stamped = <T extends z.ZodType>(value: T) => z.object({ value, at: Time, m: z.string() });

export const OrderFact = z.object({
  /** `order_id`; null when the event had none (then the messageId identifies it). */
  id: z.string().nullable(),
  at: Time,
  /** null when the event carried no usable amount: the order counts, its revenue is unknown. */
  revenue: z.number().min(0).nullable(),
  m: z.string(),
});
export type OrderFact = z.infer<typeof OrderFact>;

export const RefundFact = z.object({
  order_id: z.string().nullable(),
  at: Time,
  amount: z.number().min(0).nullable(),
  m: z.string(),
});
export type RefundFact = z.infer<typeof RefundFact>;

export const CHANNELS = ['email', 'push', 'sms', 'in_app', 'webhook'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const ChannelCounts = z.object({ delivered: Count, opened: Count, clicked: Count });
export type ChannelCounts = z.infer<typeof ChannelCounts>;

export const AFFINITY_KINDS = ['category', 'brand', 'size', 'colour'] as const;
export type AffinityKind = (typeof AFFINITY_KINDS)[number];

/** Integer weight per UTC day number, sorted by day: `[[day, weight], ...]`. */
const DayWeights = z.array(z.tuple([z.number().int(), z.number().int().positive()]));
export type DayWeights = [number, number][];

export const DeviceFact = z.object({
  type: z.string().nullable(),
  manufacturer: z.string().nullable(),
  model: z.string().nullable(),
});
export type DeviceFact = z.infer<typeof DeviceFact>;

export const Touch = z.object({
  at: Time,
  m: z.string(),
  source: z.string().nullable(),
  medium: z.string().nullable(),
  campaign: z.string().nullable(),
  term: z.string().nullable(),
  content: z.string().nullable(),
  referrer: z.string().nullable(),
  url: z.string().nullable(),
});
export type Touch = z.infer<typeof Touch>;

/**
 * What a person's events add up to: a commutative monoid under `mergeFacts`, so any arrival
 * order, any split merged back and a rebuild from the log give byte-identical JSON. Only
 * order-free structures live here (min/max, counts, sets, sorted lists, LWW registers);
 * everything time-relative is computed by `deriveTraits` at read time.
 */
export const ProfileFacts = z.object({
  version: z.literal(1),
  first_seen: Time.nullable(),
  last_seen: Time.nullable(),
  /** Events by Segment type (track, identify, page, ...). */
  type_counts: entries(Count),
  /** Track events by name. */
  event_counts: entries(Count),
  /** Activity intervals `[start, end]` in ms, sorted, separated by more than the session gap. */
  sessions: z.array(z.tuple([Time, Time])),
  /** Completed orders, de-duplicated by order id, sorted by (at, id, m). */
  orders: z.array(OrderFact),
  /** Ids of cancelled orders, sorted. */
  cancelled_orders: z.array(z.string()),
  /** Refunds, sorted by (at, m). */
  refunds: z.array(RefundFact),
  affinity: z.object({
    /** Latest UTC day any product event was seen; buckets older than the horizon are dropped. */
    last_day: z.number().int().nullable(),
    category: entries(DayWeights),
    brand: entries(DayWeights),
    size: entries(DayWeights),
    colour: entries(DayWeights),
  }),
  channels: z.object({
    email: ChannelCounts,
    push: ChannelCounts,
    sms: ChannelCounts,
    in_app: ChannelCounts,
    webhook: ChannelCounts,
  }),
  /** Events per hour of the day: local when the event named its timezone, else UTC. */
  hours: z.object({
    active_local: Hours,
    active_utc: Hours,
    engaged_local: Hours,
    engaged_utc: Hours,
  }),
  /** Stated traits from identify; a null value is a tombstone (unset). */
  traits: entries(stamped(z.unknown())),
  timezone: stamped(z.string()).nullable(),
  device: stamped(DeviceFact).nullable(),
  os: stamped(z.string()).nullable(),
  browser: stamped(z.string()).nullable(),
  first_touch: Touch.nullable(),
  last_touch: Touch.nullable(),
});
export type ProfileFacts = z.infer<typeof ProfileFacts>;
export type Stamped<T> = { value: T; at: number; m: string };

const zeros = () => Array.from({ length: 24 }, () => 0);
const noEngagement = (): ChannelCounts => ({ delivered: 0, opened: 0, clicked: 0 });

/**
 * The facts of a person with no events: the monoid's identity.
 * @example
 * const facts = [e1, e2].reduce(applyEvent, emptyFacts());
 */
export function emptyFacts(): ProfileFacts {
  return {
    version: 1,
    first_seen: null,
    last_seen: null,
    type_counts: [],
    event_counts: [],
    sessions: [],
    orders: [],
    cancelled_orders: [],
    refunds: [],
    affinity: { last_day: null, category: [], brand: [], size: [], colour: [] },
    channels: {
      email: noEngagement(),
      push: noEngagement(),
      sms: noEngagement(),
      in_app: noEngagement(),
      webhook: noEngagement(),
    },
    hours: {
      active_local: zeros(),
      active_utc: zeros(),
      engaged_local: zeros(),
      engaged_utc: zeros(),
    },
    traits: [],
    timezone: null,
    device: null,
    os: null,
    browser: null,
    first_touch: null,
    last_touch: null,
  };
}
