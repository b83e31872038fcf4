import { localHour } from '../../shared/index.js';
import { addAffinity, DAY_MS, dayOf, type AffinityHit } from './affinity-facts.js';
import { eventContext, type EventContext } from './context-facts.js';
import {
  AFFINITY_FIELDS,
  AFFINITY_WEIGHTS,
  ENGAGEMENT_EVENTS,
  GENERIC_ENGAGEMENT,
  ORDER_CANCELLED,
  ORDER_COMPLETED,
  ORDER_REFUNDED,
  isPassive,
  normalName,
  type EngagementKind,
} from './event-kinds.js';
import {
  AFFINITY_KINDS,
  CHANNELS,
  emptyFacts,
  type Channel,
  type ProfileFacts,
  type Stamped,
} from './facts-schema.js';
import { field, isObject, labelField, type Json } from './fields.js';
import { addIds, addOrder, addRefund, orderAmount, orderId } from './orders.js';
import type { ProfileEvent } from './profile-event.js';
import { addCount, getEntry, updateEntry } from './records.js';
import { addActivity } from './sessions.js';
import { earlier, later } from './stamps.js';

/** Latest representable Date (±8.64e15 ms): later or non-finite timestamps are ignored. */
const MAX_TIME = 8.64e15;

function engagementOf(name: string, props: Json): [Channel, EngagementKind] | null {
  const known = ENGAGEMENT_EVENTS.get(name);
  if (known) return known;
  const kind = GENERIC_ENGAGEMENT.get(name);
  if (!kind) return null;
  const channel = field(props, 'channel');
  return (CHANNELS as readonly unknown[]).includes(channel) ? [channel as Channel, kind] : null;
}

function affinityHits(name: string, props: Json): AffinityHit[] {
  const weight = AFFINITY_WEIGHTS.get(name);
  if (weight === undefined) return [];
  const products = name === ORDER_COMPLETED ? field(props, 'products') : [props];
  if (!Array.isArray(products)) return [];
  const hits: AffinityHit[] = [];
  for (const product of products) {
    for (const kind of AFFINITY_KINDS) {
      for (const key of AFFINITY_FIELDS[kind]) {
        const value = labelField(product, key);
        if (value === undefined) continue;
        hits.push({ kind, value, weight });
        break;
      }
    }
  }
  return hits;
}

function addHour(hours: readonly number[], hour: number): number[] {
  const copy = [...hours];
  copy[hour] = copy[hour]! + 1;
  return copy;
}

const stamp = <T>(value: T | null, event: ProfileEvent): Stamped<T> | null =>
  value === null ? null : { value, at: event.timestamp, m: event.messageId };

// The helpers below write into `out`, the one shallow copy applyEvent makes per event:
// fields are replaced, never mutated, so `facts` and every structure it shares stay intact.

function applyContext(out: ProfileFacts, ctx: EventContext, event: ProfileEvent): void {
  if (ctx.timezone !== null) out.timezone = later(out.timezone, stamp(ctx.timezone, event));
  if (ctx.device !== null) out.device = later(out.device, stamp(ctx.device, event));
  if (ctx.os !== null) out.os = later(out.os, stamp(ctx.os, event));
  if (ctx.browser !== null) out.browser = later(out.browser, stamp(ctx.browser, event));
  if (ctx.touch !== null) {
    out.first_touch = earlier(out.first_touch, ctx.touch);
    out.last_touch = later(out.last_touch, ctx.touch);
  }
}

function applyTraits(out: ProfileFacts, event: ProfileEvent): void {
  for (const [key, value] of Object.entries(event.traits)) {
    if (value === undefined) continue;
    const next: Stamped<unknown> = { value, at: event.timestamp, m: event.messageId };
    const current = getEntry(out.traits, key);
    if (current === undefined || later(current, next) === next) {
      out.traits = updateEntry(out.traits, key, () => next);
    }
  }
}

function applyCommerce(out: ProfileFacts, name: string, event: ProfileEvent): void {
  const props = event.properties;
  const at = event.timestamp;
  const m = event.messageId;
  if (name === ORDER_COMPLETED) {
    out.orders = addOrder(out.orders, { id: orderId(props), at, revenue: orderAmount(props), m });
  } else if (name === ORDER_REFUNDED) {
    out.refunds = addRefund(out.refunds, {
      order_id: orderId(props),
      at,
      amount: orderAmount(props),
      m,
    });
  } else if (name === ORDER_CANCELLED) {
    const id = orderId(props);
    if (id !== null) out.cancelled_orders = addIds(out.cancelled_orders, [id]);
  }
  const hits = affinityHits(name, props);
  if (hits.length > 0) out.affinity = addAffinity(out.affinity, dayOf(at), hits);
}

/**
 * Adds one event to a person's facts. Pure: `facts` is not modified, the result shares the
 * unchanged parts. Junk fields are ignored, never thrown on; an event whose timestamp is not
 * a finite, representable time is ignored whole.
 *
 * Exactly-once is the caller's contract: the event log is unique by messageId, so the shell
 * applies an event only when its insert took effect (and a rebuild replays the log). Orders
 * (by order id), sessions, first/last seen, traits and context are idempotent anyway; counts,
 * engagement and affinity weights would count a re-applied event twice. `foldEvents`
 * de-duplicates by messageId for replays that cannot promise uniqueness.
 *
 * @example
 * const facts = applyEvent(emptyFacts(), {
 *   messageId: 'm1', type: 'track', event: 'Order Completed', timestamp: Date.UTC(2024, 0, 5),
 *   properties: { order_id: 'o1', revenue: 42 }, traits: {}, context: {},
 * });
 */
export function applyEvent(facts: ProfileFacts, event: ProfileEvent): ProfileFacts {
  const t = event.timestamp;
  if (typeof t !== 'number' || !Number.isFinite(t) || Math.abs(t) > MAX_TIME) return facts;
  const name =
    event.type === 'track' && typeof event.event === 'string' ? normalName(event.event) : null;
  const passive = name !== null && isPassive(name);

  const out: ProfileFacts = { ...facts, type_counts: addCount(facts.type_counts, event.type, 1) };
  if (event.type === 'track' && typeof event.event === 'string') {
    out.event_counts = addCount(facts.event_counts, event.event, 1);
  }

  const ctx = passive ? null : eventContext(event);
  if (ctx) {
    out.first_seen = out.first_seen === null ? t : Math.min(out.first_seen, t);
    out.last_seen = out.last_seen === null ? t : Math.max(out.last_seen, t);
    applyContext(out, ctx, event);
  }

  const engagement = name === null ? null : engagementOf(name, event.properties);
  if (engagement) {
    const [channel, kind] = engagement;
    const counts = out.channels[channel];
    out.channels = { ...out.channels, [channel]: { ...counts, [kind]: counts[kind] + 1 } };
  }

  // Hours: a person's own timezone when the event names one, else UTC (shifted at read time).
  const hour = ctx?.timezone ? localHour(t, ctx.timezone) : null;
  const utcHour = Math.floor((((t % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000);
  const hourKey = hour === null ? 'utc' : 'local';
  if (engagement && engagement[1] !== 'delivered') {
    const key = `engaged_${hourKey}` as const;
    out.hours = { ...out.hours, [key]: addHour(out.hours[key], hour ?? utcHour) };
  } else if (ctx && event.type !== 'identify' && event.type !== 'group' && event.type !== 'alias') {
    const key = `active_${hourKey}` as const;
    out.hours = { ...out.hours, [key]: addHour(out.hours[key], hour ?? utcHour) };
    out.sessions = addActivity(out.sessions, t);
  }

  if (event.type === 'identify' && isObject(event.traits)) applyTraits(out, event);
  if (name !== null) applyCommerce(out, name, event);
  return out;
}

/**
 * The facts of a set of events, as a rebuild computes them: each messageId is applied once,
 * whatever the order or repetition of `events`.
 */
export function foldEvents(
  events: Iterable<ProfileEvent>,
  start: ProfileFacts = emptyFacts(),
): ProfileFacts {
  const seen = new Set<string>();
  let facts = start;
  for (const event of events) {
    if (seen.has(event.messageId)) continue;
    seen.add(event.messageId);
    facts = applyEvent(facts, event);
  }
  return facts;
}
