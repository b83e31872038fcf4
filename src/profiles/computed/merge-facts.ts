import { mergeAffinity } from './affinity-facts.js';
import { CHANNELS, type ChannelCounts, type ProfileFacts, type Stamped } from './facts-schema.js';
import { addIds, mergeOrders, mergeRefunds } from './orders.js';
import { addArrays, mergeEntries } from './records.js';
import { mergeSessions } from './sessions.js';
import { earlier, later } from './stamps.js';

const minOf = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.min(a, b);
const maxOf = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.max(a, b);
const sum = (a: number, b: number) => a + b;
const addCounts = (a: ChannelCounts, b: ChannelCounts): ChannelCounts => ({
  delivered: a.delivered + b.delivered,
  opened: a.opened + b.opened,
  clicked: a.clicked + b.clicked,
});

/**
 * The facts of two disjoint sets of events taken together, as when the identity graph merges
 * two profiles. Commutative and associative with `emptyFacts()` as identity, and
 * `mergeFacts(fold(A), fold(B))` equals `fold(A ∪ B)` byte for byte.
 *
 * @example
 * const merged = mergeFacts(anonymousFacts, knownFacts);
 */
export function mergeFacts(a: ProfileFacts, b: ProfileFacts): ProfileFacts {
  const channels = { ...a.channels };
  for (const c of CHANNELS) channels[c] = addCounts(a.channels[c], b.channels[c]);
  return {
    version: 1,
    first_seen: minOf(a.first_seen, b.first_seen),
    last_seen: maxOf(a.last_seen, b.last_seen),
    type_counts: mergeEntries(a.type_counts, b.type_counts, sum),
    event_counts: mergeEntries(a.event_counts, b.event_counts, sum),
    sessions: mergeSessions(a.sessions, b.sessions),
    orders: mergeOrders(a.orders, b.orders),
    cancelled_orders: addIds(a.cancelled_orders, b.cancelled_orders),
    refunds: mergeRefunds(a.refunds, b.refunds),
    affinity: mergeAffinity(a.affinity, b.affinity),
    channels,
    hours: {
      active_local: addArrays(a.hours.active_local, b.hours.active_local),
      active_utc: addArrays(a.hours.active_utc, b.hours.active_utc),
      engaged_local: addArrays(a.hours.engaged_local, b.hours.engaged_local),
      engaged_utc: addArrays(a.hours.engaged_utc, b.hours.engaged_utc),
    },
    traits: mergeEntries(a.traits, b.traits, (x: Stamped<unknown>, y) => later(x, y)!),
    timezone: later(a.timezone, b.timezone),
    device: later(a.device, b.device),
    os: later(a.os, b.os),
    browser: later(a.browser, b.browser),
    first_touch: earlier(a.first_touch, b.first_touch),
    last_touch: later(a.last_touch, b.last_touch),
  };
}
