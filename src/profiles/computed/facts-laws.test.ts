import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, foldEvents } from './apply-event.js';
import { ProfileFacts, emptyFacts } from './facts-schema.js';
import { deriveTraits } from './derive-traits.js';
import { mergeFacts } from './merge-facts.js';
import { defaultWorkspaceModel } from './workspace-model.js';
import type { ProfileEvent } from './profile-event.js';

// Random streams mix every kind of event the core reads, with values chosen to collide:
// a small time range (so sessions touch and merge), repeated order ids, a handful of
// categories, traits written and unset, junk in number fields, and `__proto__` keys.
const T0 = Date.UTC(2024, 0, 1);
// Mostly minutes within three days; some on a 15-minute grid (gaps of exactly the session
// gap); some whole days over two years (so affinity buckets age past the horizon).
const MINUTE = 60_000;
const time = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 * 24 * 60 }).map((k) => T0 + k * MINUTE) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 3 * 24 * 4 }).map((k) => T0 + k * 15 * MINUTE),
  },
  { weight: 1, arbitrary: fc.integer({ min: -400, max: 400 }).map((k) => T0 + k * 86_400_000) },
);
const junk = fc.constantFrom<unknown>('12', -3, Number.NaN, null, {}, [], Infinity, true);
const amount = fc.oneof(
  fc.integer({ min: 0, max: 500 }).map((c) => c / 4),
  junk,
);
const label = fc.constantFrom('Shoes', 'Bags', '  Hats ', '__proto__', 'constructor', 42, '');
const product = fc.record(
  {
    product_id: fc.constantFrom('p1', 'p2', 'p3'),
    category: label,
    brand: fc.constantFrom('Acme', 'Zed', '__proto__'),
    size: fc.constantFrom('M', 'L', 9),
    color: fc.constantFrom('red', 'blue'),
    colour: fc.constantFrom('Red', 'green'),
    price: amount,
    quantity: fc.oneof(fc.integer({ min: 0, max: 5 }), junk),
  },
  { requiredKeys: ['product_id'] },
);
const trackName = fc.constantFrom(
  'Product Viewed',
  'Product Added',
  'product_added_to_wishlist',
  'Order Completed',
  'Order Refunded',
  'Order Cancelled',
  'Email Opened',
  'Email Link Clicked',
  'Email Delivered',
  'Push Notification Tapped',
  'Message Clicked',
  'Segment Entered',
  'Signed Up',
  '__proto__',
);
const context = fc.record(
  {
    timezone: fc.constantFrom('Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Mars/Base', 7),
    userAgent: fc.constantFrom(
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36',
    ),
    device: fc.record({
      type: fc.constantFrom('ios', 'android'),
      model: fc.constantFrom('X', 'Y'),
    }),
    campaign: fc.record({
      source: fc.constantFrom('google', 'news'),
      name: fc.constantFrom('spring', 'sale'),
    }),
    page: fc.record({
      url: fc.constantFrom('https://shop.test/a?utm_source=fb', 'https://shop.test/b', 'not a url'),
      referrer: fc.constantFrom('https://search.test/', 'https://shop.test/c'),
    }),
  },
  { requiredKeys: [] },
);

type Draft = Omit<ProfileEvent, 'messageId'>;
const track: fc.Arbitrary<Draft> = fc
  .record({
    event: trackName,
    timestamp: time,
    context,
    properties: fc.record(
      {
        order_id: fc.constantFrom('o1', 'o2', 'o3', 7),
        revenue: amount,
        total: amount,
        products: fc.array(product, { maxLength: 3 }),
        channel: fc.constantFrom('email', 'push', 'sms', 'in_app', 'webhook', 'fax'),
        category: label,
        brand: fc.constantFrom('Acme', 'Zed'),
      },
      { requiredKeys: [] },
    ),
  })
  .map((r) => ({ type: 'track', traits: {}, ...r }));
const identify: fc.Arbitrary<Draft> = fc
  .record({
    timestamp: time,
    context,
    traits: fc.dictionary(
      fc.constantFrom('plan', 'email', '__proto__', 'constructor', 'age'),
      fc.oneof(
        fc.constantFrom(null, 'pro', 'free', 31),
        fc.record({ city: fc.constantFrom('Oslo', 'Rome') }),
      ),
    ),
  })
  .map((r) => ({ type: 'identify', event: null, properties: {}, ...r }));
const pageOrScreen: fc.Arbitrary<Draft> = fc
  .record({
    type: fc.constantFrom('page', 'screen', 'group', 'alias'),
    event: fc.constantFrom(null, 'Home', 'Cart'),
    timestamp: time,
    context,
  })
  .map((r) => ({ properties: {}, traits: {}, ...r }));

/** A stream of events with unique messageIds (the log's guarantee). */
const stream = fc
  .array(fc.oneof({ weight: 5, arbitrary: track }, identify, pageOrScreen), { maxLength: 40 })
  .map((drafts) =>
    drafts.map((d, i): ProfileEvent => ({ ...d, messageId: `m${String(i).padStart(3, '0')}` })),
  );

/** Paths of every number in `value` that is NaN or infinite. */
function nonFinite(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
}

const fold = (events: readonly ProfileEvent[]) => events.reduce(applyEvent, emptyFacts());
const canonical = (f: ProfileFacts) => JSON.stringify(f);

describe('profile facts form a commutative monoid over events', () => {
  it('gives byte-identical facts for every arrival order', () => {
    fc.assert(
      fc.property(stream, fc.infiniteStream(fc.nat()), (events, seeds) => {
        const shuffled = [...events];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = seeds.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(canonical(fold(shuffled))).toBe(canonical(fold(events)));
      }),
      { numRuns: 300 },
    );
  });

  it('applying A then B equals merging the facts of A and of B', () => {
    fc.assert(
      fc.property(stream, fc.nat(), (events, cut) => {
        const k = events.length === 0 ? 0 : cut % (events.length + 1);
        const merged = mergeFacts(fold(events.slice(0, k)), fold(events.slice(k)));
        expect(canonical(merged)).toBe(canonical(fold(events)));
      }),
      { numRuns: 300 },
    );
  });

  it('rebuilds the same facts from random splits merged back in any tree', () => {
    fc.assert(
      fc.property(
        stream,
        fc.array(fc.nat(3), { maxLength: 40 }),
        fc.array(fc.nat()),
        (events, parts, picks) => {
          const groups: ProfileEvent[][] = [[], [], [], []];
          events.forEach((e, i) => groups[parts[i] ?? 0]!.push(e));
          const pool = groups.map(fold);
          let step = 0;
          while (pool.length > 1) {
            const i = (picks[step++] ?? 0) % pool.length;
            const a = pool.splice(i, 1)[0]!;
            const j = (picks[step++] ?? 0) % pool.length;
            const b = pool.splice(j, 1)[0]!;
            pool.push(step % 3 === 0 ? mergeFacts(b, a) : mergeFacts(a, b));
          }
          expect(canonical(pool[0]!)).toBe(canonical(fold(events)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('merge is commutative and associative with emptyFacts() as identity', () => {
    fc.assert(
      fc.property(stream, stream, stream, (x, y, z) => {
        // Disjoint events per profile, as the identity graph guarantees.
        const tag = (events: ProfileEvent[], p: string) =>
          events.map((e) => ({ ...e, messageId: p + e.messageId }));
        const [a, b, c] = [fold(tag(x, 'a')), fold(tag(y, 'b')), fold(tag(z, 'c'))];
        expect(canonical(mergeFacts(a, b))).toBe(canonical(mergeFacts(b, a)));
        expect(canonical(mergeFacts(mergeFacts(a, b), c))).toBe(
          canonical(mergeFacts(a, mergeFacts(b, c))),
        );
        expect(canonical(mergeFacts(emptyFacts(), a))).toBe(canonical(a));
        expect(canonical(mergeFacts(a, emptyFacts()))).toBe(canonical(a));
      }),
      { numRuns: 200 },
    );
  });

  it('survives a store round trip: JSON, then validation, then more events', () => {
    fc.assert(
      fc.property(stream, fc.nat(), (events, cut) => {
        const k = events.length === 0 ? 0 : cut % (events.length + 1);
        const stored = JSON.parse(canonical(fold(events.slice(0, k)))) as unknown;
        const read = ProfileFacts.parse(stored);
        expect(canonical(read)).toBe(JSON.stringify(stored));
        expect(canonical(events.slice(k).reduce(applyEvent, read))).toBe(canonical(fold(events)));
      }),
      { numRuns: 200 },
    );
  });

  it('foldEvents applies each messageId once, so replaying duplicates changes nothing', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat()), (events, dupes) => {
        const replay = [
          ...events,
          ...dupes.flatMap((i) => (events.length ? [events[i % events.length]!] : [])),
        ];
        expect(canonical(foldEvents(replay))).toBe(canonical(fold(events)));
      }),
    );
  });

  it('re-applying an event leaves the idempotent parts unchanged', () => {
    fc.assert(
      fc.property(stream, fc.nat(), (events, pick) => {
        fc.pre(events.length > 0);
        const once = fold(events);
        const twice = applyEvent(once, events[pick % events.length]!);
        for (const key of [
          'first_seen',
          'last_seen',
          'sessions',
          'orders',
          'cancelled_orders',
          'refunds',
          'traits',
          'timezone',
          'device',
          'os',
          'browser',
          'first_touch',
          'last_touch',
        ] as const) {
          expect(twice[key]).toEqual(once[key]);
        }
      }),
    );
  });
});

describe('junk never throws or poisons the facts', () => {
  it('accepts any JSON in properties, traits and context', () => {
    const anyObject = fc.dictionary(
      fc.oneof(
        fc.string(),
        fc.constantFrom('__proto__', 'products', 'revenue', 'timezone', 'campaign'),
      ),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias'),
            event: fc.oneof(fc.constant(null), fc.string(), trackName),
            timestamp: fc.oneof(time, fc.constantFrom(Number.NaN, Infinity, -1e20, 0)),
            // Mostly objects; sometimes what a careless shell might pass through.
            properties: fc.oneof({ weight: 4, arbitrary: anyObject }, fc.jsonValue()),
            traits: fc.oneof({ weight: 4, arbitrary: anyObject }, fc.jsonValue()),
            context: fc.oneof({ weight: 4, arbitrary: anyObject }, fc.jsonValue()),
          }),
          { maxLength: 15 },
        ),
        (drafts) => {
          const events = drafts.map((d, i) => ({ ...d, messageId: `j${i}` }) as ProfileEvent);
          const facts = fold(events);
          expect(ProfileFacts.safeParse(facts).success).toBe(true);
          // No NaN or Infinity anywhere (JSON would silently turn them into null).
          expect(nonFinite(facts)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a `__proto__` key as data and never touches a prototype', () => {
    const payload = JSON.parse('{"__proto__": {"polluted": true}, "plan": "pro"}') as Record<
      string,
      unknown
    >;
    const facts = applyEvent(emptyFacts(), {
      messageId: 'm1',
      type: 'identify',
      event: null,
      timestamp: T0,
      properties: {},
      traits: payload,
      context: {},
    });
    expect(facts.traits).toEqual([
      ['__proto__', { value: { polluted: true }, at: T0, m: 'm1' }],
      ['plan', { value: 'pro', at: T0, m: 'm1' }],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const traits = deriveTraits(facts, T0, defaultWorkspaceModel(T0)).traits;
    expect(Object.keys(traits)).toEqual(['__proto__', 'plan']);
    expect(Object.getPrototypeOf(traits)).toBe(Object.prototype);
    expect(Object.hasOwn(traits, '__proto__')).toBe(true);
  });
});
