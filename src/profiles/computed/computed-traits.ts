import { z } from 'zod';
import { Channel, ChannelCounts, DeviceFact, Touch } from './facts-schema.js';
import { LifecycleStage } from './lifecycle.js';
import { RfmScores } from './rfm.js';

export const AffinityScore = z.object({
  value: z.string(),
  /** Decayed weight at read time: Σ weight · 2^(−age / half-life). */
  score: z.number(),
});
export type AffinityScore = z.infer<typeof AffinityScore>;

const Time = z.number().nullable();

/** Everything a marketer reads about a person, derived from their facts at a point in time. */
export const ComputedTraits = z.object({
  first_seen: Time,
  last_seen: Time,
  event_counts: z.record(z.string(), z.number()),
  sessions: z.number().int(),
  sessions_last_30d: z.number().int(),
  order_count: z.number().int(),
  revenue: z.number(),
  /** Revenue / orders of known value; null without such orders. */
  aov: z.number().nullable(),
  refunded: z.number(),
  first_order_at: Time,
  last_order_at: Time,
  days_since_last_order: z.number().int().nullable(),
  /** Median days between purchase occasions; null with fewer than two. */
  typical_days_between_orders: z.number().nullable(),
  rfm: RfmScores.nullable(),
  expected_orders_12m: z.number().nullable(),
  p_alive: z.number().nullable(),
  clv_12m: z.number().nullable(),
  lifecycle: LifecycleStage,
  affinities: z.object({
    category: z.array(AffinityScore),
    brand: z.array(AffinityScore),
    size: z.array(AffinityScore),
    colour: z.array(AffinityScore),
  }),
  preferred_channel: Channel.nullable(),
  channel_engagement: z.object({
    email: ChannelCounts,
    push: ChannelCounts,
    sms: ChannelCounts,
    in_app: ChannelCounts,
    webhook: ChannelCounts,
  }),
  /** Hour of the day (0-23, the person's local time when known) to send at. */
  best_send_hour: z.number().int().min(0).max(23).nullable(),
  timezone: z.string().nullable(),
  device: DeviceFact.nullable(),
  os: z.string().nullable(),
  browser: z.string().nullable(),
  first_touch: Touch.nullable(),
  last_touch: Touch.nullable(),
  /** Stated traits (identify), unset ones omitted. */
  traits: z.record(z.string(), z.unknown()),
  /**
   * Predicted uplift of each journey with a trained uplift model, by journey id:
   * P(convert | treated) − P(convert | held out). Absent while no journey has a model.
   */
  uplift: z.record(z.string(), z.number()).optional(),
});
export type ComputedTraits = z.infer<typeof ComputedTraits>;
