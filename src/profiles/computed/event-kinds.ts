import type { AffinityKind, Channel } from './facts-schema.js';

/**
 * How the core reads track event names. Names are matched on a normal form (lower case,
 * runs of spaces, `_` and `-` as one space), so "Order Completed", "order_completed" and
 * "In-App Message Viewed" / "In App Message Viewed" are the same event.
 */
export const normalName = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** Events that happen to a person rather than by them: not activity, not a session. */
const PASSIVE_NAMES = new Set(['segment entered', 'segment exited']);
const PASSIVE_LAST_WORDS = new Set([
  'sent',
  'delivered',
  'bounced',
  'received',
  'dropped',
  'failed',
  'queued',
  'deferred',
]);

/** True for system and delivery events ("email delivered", "segment entered", ...); `name` in normal form. */
export function isPassive(name: string): boolean {
  if (PASSIVE_NAMES.has(name)) return true;
  const last = name.slice(name.lastIndexOf(' ') + 1);
  return PASSIVE_LAST_WORDS.has(last);
}

export type EngagementKind = 'delivered' | 'opened' | 'clicked';

/**
 * Channel engagement events (normal form → channel, kind). Segment's Email spec and the
 * common push / SMS / in-app names; Rapport's own open pixel and click redirects send the
 * generic "Message Opened" / "Message Clicked" / "Message Delivered" with
 * `properties.channel`, which is how webhook engagement is counted.
 */
export const ENGAGEMENT_EVENTS: ReadonlyMap<string, [Channel, EngagementKind]> = new Map([
  ['email delivered', ['email', 'delivered']],
  ['email opened', ['email', 'opened']],
  ['email link clicked', ['email', 'clicked']],
  ['email clicked', ['email', 'clicked']],
  ['push notification received', ['push', 'delivered']],
  ['push notification delivered', ['push', 'delivered']],
  ['push notification opened', ['push', 'opened']],
  ['push notification tapped', ['push', 'clicked']],
  ['push notification clicked', ['push', 'clicked']],
  ['sms delivered', ['sms', 'delivered']],
  ['sms opened', ['sms', 'opened']],
  ['sms link clicked', ['sms', 'clicked']],
  ['sms clicked', ['sms', 'clicked']],
  ['sms replied', ['sms', 'clicked']],
  ['in app message delivered', ['in_app', 'delivered']],
  ['in app message viewed', ['in_app', 'opened']],
  ['in app message opened', ['in_app', 'opened']],
  ['in app message clicked', ['in_app', 'clicked']],
]);

/** Generic message events whose channel is `properties.channel`. */
export const GENERIC_ENGAGEMENT: ReadonlyMap<string, EngagementKind> = new Map([
  ['message delivered', 'delivered'],
  ['message opened', 'opened'],
  ['message clicked', 'clicked'],
]);

/**
 * Affinity weight of each product event, per product: a purchase says more than a cart add,
 * which says more than a view. Integers, so the facts add up exactly.
 */
export const AFFINITY_WEIGHTS: ReadonlyMap<string, number> = new Map([
  ['product viewed', 1],
  ['product clicked', 1],
  ['product added to wishlist', 2],
  ['product added', 3],
  ['order completed', 5],
]);

/** Product properties read for each affinity kind, in order of preference. */
export const AFFINITY_FIELDS: Readonly<Record<AffinityKind, readonly string[]>> = {
  category: ['category'],
  brand: ['brand'],
  size: ['size'],
  colour: ['colour', 'color'],
};

export const ORDER_COMPLETED = 'order completed';
export const ORDER_REFUNDED = 'order refunded';
export const ORDER_CANCELLED = 'order cancelled';
