import { z } from 'zod';
import { Duration } from './duration.js';
import { EventFilter } from './event-filter.js';
import { LocalTimeOfDay } from './local-time.js';

const Path = z.string().min(1).max(200);
/**
 * A condition in the condition language of the injected environment (the segment rule
 * language in Rapport). Opaque here: checked by `validateCondition`, evaluated by
 * `evaluateCondition`.
 */
export const Condition = z.json();
export type Condition = z.infer<typeof Condition>;

/** An event the person does, e.g. `Product Added` with `properties.cart_id` as key. */
export const EventTrigger = z.strictObject({
  type: z.literal('event'),
  event: z.string().min(1).max(200),
  where: EventFilter.optional(),
  /** Dotted path of the entry key: one run per value when re-entry is scoped per key. */
  key: Path.optional(),
  /** An extra condition the person must meet to enter (profile, segments). */
  condition: Condition.optional(),
});

/** The person enters or exits a segment (`Segment Entered`/`Segment Exited` events). */
export const SegmentTrigger = z.strictObject({
  type: z.literal('segment'),
  segmentId: z.string().min(1).max(200),
  on: z.enum(['entered', 'exited']).default('entered'),
  condition: Condition.optional(),
});

/**
 * Every year on the month and day of a date trait (`birthday`, `signed_up_at`), at a local
 * time of day in the person's time zone. The key is the occurrence's local date.
 */
export const DateTrigger = z.strictObject({
  type: z.literal('date'),
  trait: Path,
  at: LocalTimeOfDay.default('09:00'),
  condition: Condition.optional(),
});

/** Entered by an API call; the call's properties are the trigger event's. */
export const ApiTrigger = z.strictObject({
  type: z.literal('api'),
  key: Path.optional(),
  condition: Condition.optional(),
});

/**
 * A catalog event about an item (`Product Price Dropped`, `Product Back In Stock`) that
 * reaches the people who showed interest in that item: did one of `interest.events` on
 * the same item within `interest.within`.
 */
export const CatalogTrigger = z.strictObject({
  type: z.literal('catalog'),
  event: z.string().min(1).max(200),
  where: EventFilter.optional(),
  /** Path of the item id in the catalog event; it is also the run key. */
  key: Path.default('properties.product_id'),
  interest: z.strictObject({
    events: z.array(z.string().min(1).max(200)).min(1).max(10),
    within: Duration,
    /** Path of the item id in the person's events. */
    path: Path.default('properties.product_id'),
  }),
  condition: Condition.optional(),
});

export const Trigger = z.discriminatedUnion('type', [
  EventTrigger,
  SegmentTrigger,
  DateTrigger,
  ApiTrigger,
  CatalogTrigger,
]);
export type Trigger = z.infer<typeof Trigger>;
export type EventTrigger = z.infer<typeof EventTrigger>;
export type SegmentTrigger = z.infer<typeof SegmentTrigger>;
export type DateTrigger = z.infer<typeof DateTrigger>;
export type ApiTrigger = z.infer<typeof ApiTrigger>;
export type CatalogTrigger = z.infer<typeof CatalogTrigger>;
