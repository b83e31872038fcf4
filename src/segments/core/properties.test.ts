import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from './compile.js';
import { dependencies } from './dependencies.js';
import { indexEvents } from './index-events.js';
import { SegmentDefinition } from './schema.js';
import type { Subject, SubjectEvent } from './types.js';
import { validateSegment } from './validate.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 15, 12);

// Definitions over a small vocabulary, so that random subjects actually meet them.
// Every time in play sits on the hour grid (durations in hours, events and dates on
// whole hours, anniversaries at UTC midnight), so membership can only change on it.
const duration = fc.constantFrom('PT1H', 'PT6H', 'P1D', 'P2D', 'P7D');
const date = fc.constantFrom('2026-03-10', '2026-03-14T18:00:00Z', '2026-03-16', '2026-03-20');
const timeTest = fc.oneof(
  duration.map((d) => ({ within_last: d })),
  duration.map((d) => ({ more_than_ago: d })),
  date.map((d) => ({ before: d })),
  date.map((d) => ({ after: d })),
  fc.constant({ between: ['2026-03-10', '2026-03-20'] }),
);
const countTest = fc.oneof(
  fc.integer({ min: 0, max: 3 }).map((n) => ({ gte: n })),
  fc.integer({ min: 0, max: 2 }).map((n) => ({ gt: n })),
  fc.integer({ min: 0, max: 2 }).map((n) => ({ eq: n })),
  fc.integer({ min: 1, max: 3 }).map((n) => ({ lt: n })),
  fc.constant({ neq: 1 }),
  fc.constant({ between: [1, 2] }),
);
const dateTrait = fc.constantFrom('d1', 'd2');
const leaf = fc.oneof(
  fc.record({ trait: dateTrait, within_last: duration }),
  fc.record({ trait: dateTrait, more_than_ago: duration }),
  fc.record({ trait: dateTrait, anniversary_within: fc.constantFrom(0, 1, 7, 364, 365) }),
  fc.record({ trait: dateTrait, before: date }),
  fc.record({ trait: fc.constant('plan'), eq: fc.constantFrom('pro', 'free') }),
  fc.record({ computed: fc.constant('orders'), gte: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ segment: fc.constant('s1') }),
  fc.record(
    {
      event: fc.constantFrom('A', 'B'),
      where: fc.constant({ 'properties.k': { eq: 1 } }),
      count: countTest,
      within: duration,
    },
    { requiredKeys: ['event'] },
  ),
  fc.record(
    {
      event: fc.constantFrom('A', 'B'),
      where: fc.constant({ 'properties.k': { eq: 1 } }),
      count: countTest,
      first: timeTest,
      last: timeTest,
    },
    { requiredKeys: ['event'] },
  ),
);
const { definition } = fc.letrec<{ definition: unknown }>((tie) => ({
  definition: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'definition' },
    leaf,
    fc.record({ all: fc.array(tie('definition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('definition'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('definition') }),
  ),
}));
const validDefinition = definition.map((d) => SegmentDefinition.parse(d));

const hours = (days: number) => fc.integer({ min: -24 * days, max: 24 * days });
const dateValue = fc.oneof(
  hours(20).map((h) => NOW + h * HOUR),
  hours(20).map((h) => new Date(NOW + h * HOUR).toISOString()),
  fc
    .record({ y: fc.integer({ min: 1980, max: 2027 }), day: fc.integer({ min: 0, max: 365 }) })
    .map(({ y, day }) => Date.UTC(y, 0, 1) + day * DAY),
  fc.constantFrom('2000-02-29', '1996-02-29T13:00:00Z', '1990-03-15', null, 'junk'),
);
const event: fc.Arbitrary<SubjectEvent> = fc.record({
  type: fc.constant('track'),
  event: fc.constantFrom('A', 'B'),
  timestamp: hours(10).map((h) => NOW + h * HOUR),
  properties: fc.record({ k: fc.constantFrom(1, 2) }),
});
const subject: fc.Arbitrary<Subject> = fc
  .record({
    d1: dateValue,
    d2: dateValue,
    plan: fc.constantFrom('pro', 'free'),
    orders: fc.integer({ min: 0, max: 4 }),
    events: fc.array(event, { maxLength: 8 }),
    inS1: fc.boolean(),
  })
  .map((r) => ({
    traits: { d1: r.d1, d2: r.d2, plan: r.plan },
    computed: { orders: r.orders },
    events: [...r.events].sort((a, b) => a.timestamp - b.timestamp),
    segments: new Set(r.inS1 ? ['s1'] : []),
  }));

describe('nextCheckAt', () => {
  it('membership is constant between the checks it schedules, over 30 days hour by hour and a year day by day', () => {
    fc.assert(
      fc.property(validDefinition, subject, (d, s) => {
        const member = compile(d);
        const horizon = NOW + 400 * DAY;
        const checks: { from: number; until: number | null; value: boolean }[] = [];
        for (let t: number | null = NOW; t !== null && t < horizon && checks.length < 500;) {
          const next = member.nextCheckAt(s, t);
          if (next !== null) expect(next).toBeGreaterThan(t);
          checks.push({ from: t, until: next, value: member(s, t) });
          t = next;
        }
        const expected = (t: number) => {
          let i = checks.length - 1;
          while (checks[i]!.from > t) i--;
          return checks[i]!;
        };
        const samples: number[] = [];
        for (let t = NOW; t < NOW + 30 * DAY; t += HOUR) samples.push(t);
        for (let t = NOW; t < horizon; t += DAY) samples.push(t, t + 12 * HOUR);
        for (const c of checks) if (c.until !== null) samples.push(c.until - 1);
        for (const t of samples) {
          const check = expected(t);
          if (check.until === null || t < check.until) expect(member(s, t)).toBe(check.value);
        }
      }),
      { numRuns: 250 },
    );
  });

  it('is exact for a single condition: membership does change at the time it returns', () => {
    fc.assert(
      fc.property(leaf, fc.boolean(), subject, (l, negate, s) => {
        const member = compile(SegmentDefinition.parse(negate ? { not: l } : l));
        const next = member.nextCheckAt(s, NOW);
        if (next !== null) expect(member(s, next)).toBe(!member(s, NOW));
      }),
      { numRuns: 400 },
    );
  });
});

// Anything JSON can hold, where the definition expects a date, a number or a string.
const junkTimestamp = fc.oneof(
  hours(10).map((h) => NOW + h * HOUR),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, 8.64e15, -1, 0.5),
);
const junkEventRecord = fc.record(
  {
    type: fc.string(),
    event: fc.oneof(fc.constantFrom('A', 'B', null), fc.string()),
    timestamp: junkTimestamp,
    properties: fc.oneof(
      fc.dictionary(fc.constantFrom('k', 'x', '__proto__'), fc.jsonValue()),
      fc.jsonValue(),
    ),
    context: fc.jsonValue(),
  },
  { requiredKeys: ['type', 'event', 'timestamp', 'properties'] },
);
// Cast: junk on purpose: events of the wrong types are what these properties feed the
// evaluator, which must not throw on them.
const junkEvent = junkEventRecord as unknown as fc.Arbitrary<SubjectEvent>;
const junkRecord = fc.oneof(
  fc.dictionary(fc.constantFrom('d1', 'd2', 'plan', 'orders', 'x', 'constructor'), fc.jsonValue()),
  fc.jsonValue(),
) as fc.Arbitrary<Record<string, unknown>>;
const junkSubject: fc.Arbitrary<Subject> = fc
  .record({
    traits: junkRecord,
    computed: junkRecord,
    events: fc.array(junkEvent, { maxLength: 8 }),
    segments: fc.array(fc.constantFrom('s1', 's2')),
  })
  .map((r) => ({ ...r, segments: new Set(r.segments) }));
const junkNow = fc.oneof(
  hours(30).map((h) => NOW + h * HOUR),
  fc.integer(),
  fc.constantFrom(0, 8.64e15),
);

describe('odd data', () => {
  it('never makes evaluation or nextCheckAt throw', () => {
    fc.assert(
      fc.property(validDefinition, junkSubject, junkNow, (d, s, now) => {
        const member = compile(d);
        expect(typeof member(s, now)).toBe('boolean');
        const next = member.nextCheckAt(s, now);
        if (next !== null) expect(next).toBeGreaterThan(now);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same answers with events indexed by name', () => {
    fc.assert(
      fc.property(validDefinition, fc.oneof(subject, junkSubject), junkNow, (d, s, now) => {
        const member = compile(d);
        const indexed = { ...s, eventsByName: indexEvents(s.events) };
        expect(member(indexed, now)).toBe(member(s, now));
        expect(member.nextCheckAt(indexed, now)).toBe(member.nextCheckAt(s, now));
      }),
      { numRuns: 300 },
    );
  });

  it('depends on nothing but what dependencies() lists', () => {
    fc.assert(
      fc.property(validDefinition, subject, junkNow, fc.jsonValue(), (d, s, now, junk) => {
        const deps = dependencies(d);
        const member = compile(d);
        const others = ['A', 'B'].filter((name) => !deps.events.includes(name));
        const noisy: Subject = {
          traits: {
            ...s.traits,
            unrelated: junk,
            ...(deps.traits.includes('plan') ? {} : { plan: junk }),
          },
          computed: deps.computed.includes('orders') ? s.computed : { orders: junk },
          events: [
            ...s.events,
            ...others.map((name) => ({
              type: 'track',
              event: name,
              timestamp: now,
              properties: { k: 1 },
            })),
          ],
          segments: deps.segments.includes('s1') ? s.segments : new Set(['s1', 's9']),
        };
        expect(member(noisy, now)).toBe(member(s, now));
        expect(deps.timeBased || member.nextCheckAt(s, now) === null).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('validation', () => {
  it('accepts every generated definition and never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.oneof(definition, fc.jsonValue()), fc.jsonValue(), (d, name) => {
        const result = validateSegment({ name, definition: d }, { lookup: () => undefined });
        if (result.kind !== 'ok') {
          for (const detail of result.details) {
            expect(typeof detail.path).toBe('string');
            expect(detail.problem.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
