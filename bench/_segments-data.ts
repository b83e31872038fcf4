// The synthetic population of the segments benchmark: people with 60 days of realistic
// e-commerce history (identify with traits, page views, product views/adds, carts,
// checkouts, orders with revenue, e-mail opens), written straight into `events` (already
// attributed), `profiles` (facts folded with the profile core) and `identities`, in bulk.
// Setup only: the pipeline itself is measured later, on live events.
import { DEFAULT_BLOCKED_VALUES, identifiersOf } from '../src/profiles/identity/identifiers.js';
import { foldEvents } from '../src/profiles/computed/apply-event.js';
import type { ProfileEvent } from '../src/profiles/computed/profile-event.js';
import type { EventRow } from '../src/store/index.js';
import { mulberry32 } from '../src/shared/index.js';

export const DAY = 86_400_000;
export const WORKSPACE = 'default';

type Rand = () => number;
const int = (r: Rand, k: number) => Math.floor(r() * k);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;
function weighted<T>(r: Rand, xs: readonly (readonly [T, number])[]): T {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of xs) if ((x -= w) < 0) return v;
  return xs[xs.length - 1]![0];
}

export const CATEGORIES: readonly (readonly [string, number])[] = [
  ['shoes', 3],
  ['bags', 2],
  ['shirts', 2],
  ['hats', 1],
  ['coats', 1],
  ['socks', 1],
];
export const BRANDS = ['Acme', 'Nimbus', 'Orbit', 'Pioneer', 'Quartz', 'Rivet', 'Summit', 'Tundra'];
const PLANS = [
  ['free', 55],
  ['pro', 25],
  ['team', 12],
  ['enterprise', 8],
] as const;
const COUNTRIES = [
  ['FR', 25],
  ['DE', 20],
  ['GB', 15],
  ['US', 15],
  ['ES', 8],
  ['IT', 7],
  ['BE', 5],
  ['NL', 5],
] as const;
const TAGS = ['vegan', 'runner', 'parent', 'student', 'gift-buyer'];
const PAGES = [
  ['Home', 5],
  ['Search', 3],
  ['Blog', 2],
  ['Pricing', 1],
  ['Help', 1],
] as const;
const ZONES = ['Europe/Paris', 'Europe/Berlin', 'Europe/London', 'America/New_York'];

/**
 * A product catalog: sku -> category, brand, whole-euro price. Prices are whole so that
 * revenue sums are exact in JavaScript and in SQL alike (the reference compares
 * thresholds such as `revenue > 300` on both sides).
 */
export interface Product {
  product_id: string;
  category: string;
  brand: string;
  price: number;
}
const SKUS = 2400;
const catalog: Product[] = Array.from({ length: SKUS }, (_, k) => ({
  product_id: `sku-${k}`,
  category: CATEGORIES[k % CATEGORIES.length]![0],
  brand: BRANDS[(k * 7) % BRANDS.length]!,
  price: 8 + ((k * 37) % 240),
}));
const byCategory = new Map<string, Product[]>(
  CATEGORIES.map(([c]) => [c, catalog.filter((p) => p.category === c)]),
);
export function productOf(r: Rand, favourite: string | null): Product {
  const category = favourite !== null && r() < 0.6 ? favourite : weighted(r, CATEGORIES);
  return pick(r, byCategory.get(category)!);
}

/** What the load generator needs to know about a person's history to pick probes. */
export interface PersonSummary {
  index: number;
  userId: string;
  anonymousId: string | null;
  /** Times of shoe views in the last 10 days (of the setup's `now`). */
  shoeViews: number[];
  lastOrderAt: number | null;
  /** Has an event stamped after the setup's `now` (a client clock running fast). */
  future: boolean;
}

interface Generated {
  rows: (EventRow & { profile_id: string })[];
  profile: { id: string; facts: string; created_at: number };
  identities: { kind: string; value: string; created_at: number }[];
  summary: PersonSummary;
}

export const profileIdOf = (i: number) => `prf_bench${String(i).padStart(7, '0')}`;
const blocked = new Set(DEFAULT_BLOCKED_VALUES);

/** Builds a Segment message's raw JSON and the event the profile core folds. */
function message(
  base: { userId: string; anonymousId: string | null; messageId: string; timestamp: number },
  type: 'track' | 'identify' | 'page',
  name: string | null,
  payload: Record<string, unknown>,
  context: Record<string, unknown>,
): { raw: string; event: ProfileEvent } {
  const json: Record<string, unknown> = { type };
  if (type === 'track') json.event = name;
  if (type === 'page') json.name = name;
  json.messageId = base.messageId;
  json.userId = base.userId;
  if (base.anonymousId !== null) json.anonymousId = base.anonymousId;
  json.timestamp = new Date(base.timestamp).toISOString();
  json[type === 'identify' ? 'traits' : 'properties'] = payload;
  json.context = context;
  return {
    raw: JSON.stringify(json),
    event: {
      messageId: base.messageId,
      type,
      event: name,
      timestamp: base.timestamp,
      properties: type === 'identify' ? {} : payload,
      traits: type === 'identify' ? payload : {},
      context,
    },
  };
}

function birthdayOf(r: Rand, age: number, now: number): string {
  const year = new Date(now).getUTCFullYear() - age;
  const month = 1 + int(r, 12);
  // No Feb 29: the SQL reference builds anniversaries with plain date arithmetic.
  const days = month === 2 ? 28 : [4, 6, 9, 11].includes(month) ? 30 : 31;
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(1 + int(r, days))}`;
}

function traitsOf(r: Rand, i: number, at: number, now: number): Record<string, unknown> {
  const traits: Record<string, unknown> = {};
  if (r() < 0.9) traits.email = `u${i}@example.com`;
  traits.plan = weighted(r, PLANS);
  traits.country = weighted(r, COUNTRIES);
  if (r() < 0.9) {
    const age = 18 + int(r, 62);
    traits.age = age;
    if (r() < 0.85) traits.birthday = birthdayOf(r, age, now);
  }
  traits.signup_at = new Date(at).toISOString();
  if (r() < 0.5) traits.tags = TAGS.filter(() => r() < 0.3);
  traits.newsletter = r() < 0.4;
  return traits;
}

/**
 * When a buyer orders: a first order some time after they were first seen, then repeat
 * orders as a Poisson process with a rate of their own (exponential across people, mean
 * one every 15 days), leaving for good after each order with a probability of their own
 * (Beta(1, 3), mean 25%) — the BG/NBD story, so the workspace's purchase model fits
 * sensible parameters as it would on real shops.
 */
function orderTimes(r: Rand, firstSeen: number, now: number): number[] {
  const rate = -Math.log(1 - r()) / (15 * DAY);
  const leave = 1 - (1 - r()) ** (1 / 3);
  const out: number[] = [];
  for (let t = firstSeen + r() * (now - firstSeen); t < now; t += -Math.log(1 - r()) / rate) {
    out.push(Math.floor(t));
    if (r() < leave) break;
  }
  return out;
}

type Kind = 'identify' | 'view' | 'page' | 'add' | 'cart' | 'checkout' | 'order' | 'email';
const KINDS = [
  ['view', 45],
  ['page', 22],
  ['add', 10],
  ['cart', 6],
  ['checkout', 4],
  ['email', 5],
  ['identify', 1.5],
] as const;

/**
 * One person's history: first seen up to 60 days ago (more of them long ago), then
 * 10-20 events between then and now, skewed towards recent days, and orders for the 40%
 * who buy. 0.5% of events come from a client clock running up to 30 minutes fast.
 */
export function generatePerson(seed: number, i: number, now: number): Generated {
  // mulberry32, so every run (and both stores) sees the same people.
  const r = mulberry32(seed * 1_000_003 + i);
  const userId = `u${i}`;
  const anonymousId = r() < 0.3 ? `a${i}` : null;
  const favourite = r() < 0.7 ? weighted(r, CATEGORIES) : null;
  const zone = r() < 0.7 ? pick(r, ZONES) : null;
  const age = Math.floor(60 * DAY * Math.sqrt(r())) + 3_600_000;
  const firstSeen = now - age;
  const plan: { t: number; kind: Kind }[] = [{ t: firstSeen, kind: 'identify' }];
  const n = 9 + int(r, 11);
  for (let j = 0; j < n; j++) {
    const t = r() < 0.005 ? now + 1 + int(r, 1_800_000) : now - 1 - Math.floor(age * r() ** 1.5);
    plan.push({ t, kind: weighted(r, KINDS) });
  }
  if (r() < 0.4) for (const t of orderTimes(r, firstSeen, now)) plan.push({ t, kind: 'order' });
  plan.sort((a, b) => a.t - b.t);

  const context = (extra: Record<string, unknown> = {}) => ({
    library: { name: 'analytics.js', version: '2.11.1' },
    ...(zone ? { timezone: zone } : {}),
    ...extra,
  });
  const built: { raw: string; event: ProfileEvent; type: string; name: string | null }[] = [];
  const summary: PersonSummary = {
    index: i,
    userId,
    anonymousId,
    shoeViews: [],
    lastOrderAt: null,
    future: plan[plan.length - 1]!.t > now,
  };
  let orders = 0;
  plan.forEach(({ t, kind }, j) => {
    const add = (
      type: 'track' | 'identify' | 'page',
      name: string | null,
      payload: Record<string, unknown>,
      ctx: Record<string, unknown> = context(),
    ) => {
      const base = { userId, anonymousId, messageId: `h${i}-${j}`, timestamp: t };
      built.push({ ...message(base, type, name, payload, ctx), type, name });
    };
    if (kind === 'identify') {
      // The first identify states every trait; later ones change the plan.
      add('identify', null, j === 0 ? traitsOf(r, i, t, now) : { plan: weighted(r, PLANS) });
    } else if (kind === 'view' || kind === 'add') {
      const p = productOf(r, favourite);
      const props = {
        ...p,
        currency: 'EUR',
        ...(kind === 'add' ? { quantity: 1 + int(r, 2) } : {}),
      };
      const name = kind === 'view' ? 'Product Viewed' : 'Product Added';
      add('track', name, props, context({ page: { path: `/p/${p.product_id}` } }));
      if (kind === 'view' && p.category === 'shoes' && t > now - 10 * DAY)
        summary.shoeViews.push(t);
    } else if (kind === 'page') {
      const name = weighted(r, PAGES);
      const path = `/${name.toLowerCase()}`;
      const campaign = r() < 0.15 ? { campaign: { source: 'newsletter', medium: 'email' } } : {};
      add('page', name, { path, title: name }, context({ page: { path }, ...campaign }));
    } else if (kind === 'order') {
      const products = Array.from({ length: 1 + int(r, 3) }, () => ({
        ...productOf(r, favourite),
        quantity: 1 + int(r, 2),
      }));
      const revenue = products.reduce((sum, p) => sum + p.price * p.quantity, 0);
      const props = { order_id: `o${i}-${orders++}`, revenue, currency: 'EUR', products };
      add('track', 'Order Completed', props);
      summary.lastOrderAt = t;
    } else {
      const name =
        kind === 'cart' ? 'Cart Viewed' : kind === 'checkout' ? 'Checkout Started' : 'Email Opened';
      add('track', name, kind === 'email' ? { channel: 'email', campaign: 'weekly' } : {});
    }
  });
  const profileId = profileIdOf(i);
  const facts = foldEvents(built.map((b) => b.event));
  const ids = new Map<string, { kind: string; value: string; created_at: number }>();
  for (const b of built) {
    const found = identifiersOf(
      { type: b.type, userId, anonymousId, previousId: null, traits: b.event.traits },
      blocked,
    );
    for (const id of found) {
      const key = `${id.kind}:${id.value}`;
      if (!ids.has(key)) ids.set(key, { ...id, created_at: b.event.timestamp });
    }
  }
  return {
    rows: built.map((b) => ({
      workspace_id: WORKSPACE,
      message_id: b.event.messageId,
      type: b.type,
      event: b.name,
      user_id: userId,
      anonymous_id: anonymousId,
      previous_id: null,
      group_id: null,
      timestamp: b.event.timestamp,
      received_at: Math.min(b.event.timestamp, now),
      sent_at: null,
      raw: b.raw,
      profile_id: profileId,
    })),
    profile: { id: profileId, facts: JSON.stringify(facts), created_at: firstSeen },
    identities: [...ids.values()],
    summary,
  };
}
