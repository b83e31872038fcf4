import { describe, expect, it } from 'vitest';
import { evaluate } from './compile.js';
import type { Subject, ValueTest } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Sunday 15 March 2026, noon UTC.
const NOW = Date.UTC(2026, 2, 15, 12);

const withTrait = (value: unknown): Subject => ({
  traits: value === undefined ? {} : { x: value },
  computed: {},
  events: [],
  segments: new Set(),
});

// [test, trait value, expected]; `undefined` means the trait is absent.
const cases: [ValueTest, unknown, boolean][] = [
  // eq: text is exact and case-sensitive; a number and a numeric string compare as numbers.
  [{ eq: 'pro' }, 'pro', true],
  [{ eq: 'pro' }, 'Pro', false],
  [{ eq: 'pro' }, undefined, false],
  [{ eq: 'pro' }, null, false],
  [{ eq: 'pro' }, ['pro'], false],
  [{ eq: 'pro' }, { v: 'pro' }, false],
  [{ eq: 555 }, 555, true],
  [{ eq: 555 }, '555', true],
  [{ eq: 555 }, '555.0', true],
  [{ eq: 555 }, '0x22B', false],
  [{ eq: '555' }, 555, true],
  [{ eq: '555' }, '555.0', false],
  [{ eq: true }, true, true],
  [{ eq: true }, 'true', false],
  [{ eq: true }, 1, false],
  // neq: a present, comparable value that differs; missing or odd values fail it.
  [{ neq: 'pro' }, 'free', true],
  [{ neq: 'pro' }, 5, true],
  [{ neq: 'pro' }, 'pro', false],
  [{ neq: 'pro' }, undefined, false],
  [{ neq: 'pro' }, null, false],
  [{ neq: 'pro' }, { a: 1 }, false],
  [{ neq: 3 }, '3', false],
  // in / not_in
  [{ in: ['a', 'b', 3] }, 'a', true],
  [{ in: ['a', 'b', 3] }, 'A', false],
  [{ in: ['a', 'b', 3] }, 3, true],
  [{ in: ['a', 'b', 3] }, '3.0', true],
  [{ in: ['a', 'b', 3] }, 'c', false],
  [{ in: ['a', 'b', 3] }, ['a'], false],
  [{ in: ['555', '554'] }, 554, true],
  [{ in: [true] }, true, true],
  [{ in: [true] }, 'true', false],
  [{ not_in: ['a'] }, 'b', true],
  [{ not_in: ['a'] }, 'a', false],
  [{ not_in: ['a'] }, undefined, false],
  [{ not_in: ['a'] }, [], false],
  // contains: substring of a string, or an element of an array
  [{ contains: 'shoe' }, 'snowshoes', true],
  [{ contains: 'shoe' }, 'Shoe', false],
  [{ contains: 'shoe' }, ['hat', 'shoe'], true],
  [{ contains: 'shoe' }, ['snowshoe'], false],
  [{ contains: 'shoe' }, 5, false],
  [{ contains: 'shoe' }, null, false],
  [{ contains: 3 }, ['3'], true],
  [{ contains: 3 }, 'a3b', true],
  // starts_with: strings only
  [{ starts_with: '55' }, '554', true],
  [{ starts_with: '55' }, '455', false],
  [{ starts_with: '55' }, 554, false],
  [{ starts_with: '55' }, undefined, false],
  // numeric comparisons read numbers and numeric strings
  [{ gt: 3 }, 4, true],
  [{ gt: 3 }, 3, false],
  [{ gt: 3 }, '4', true],
  [{ gt: 3 }, ' 4 ', true],
  [{ gt: 3 }, 'four', false],
  [{ gt: 3 }, true, false],
  [{ gt: 3 }, [4], false],
  [{ gt: 3 }, null, false],
  [{ gte: 3 }, 3, true],
  [{ gte: 3 }, 2.99, false],
  [{ lt: 3 }, 2.5, true],
  [{ lt: 3 }, 3, false],
  [{ lt: 3 }, '', false],
  [{ lte: 3 }, 3, true],
  [{ lte: 3 }, -1e3, true],
  [{ lte: 3 }, 3.01, false],
  // between: inclusive, numbers or dates
  [{ between: [1, 3] }, 1, true],
  [{ between: [1, 3] }, 3, true],
  [{ between: [1, 3] }, '2', true],
  [{ between: [1, 3] }, 3.01, false],
  [{ between: [1, 3] }, 0, false],
  [{ between: ['2024-01-01', '2024-01-31'] }, '2024-01-31', true],
  [{ between: ['2024-01-01', '2024-01-31'] }, '2024-01-31T00:00:01Z', false],
  [{ between: ['2024-01-01', '2024-01-31'] }, Date.UTC(2024, 0, 15), true],
  [{ between: ['2024-01-01', '2024-01-31'] }, '2023-12-31T23:59:59.999Z', false],
  [{ between: ['2024-01-01', '2024-01-31'] }, 'mid January', false],
  // exists / not_exists: null counts as absent, every other value as present
  [{ exists: true }, 'x', true],
  [{ exists: true }, '', true],
  [{ exists: true }, 0, true],
  [{ exists: true }, false, true],
  [{ exists: true }, null, false],
  [{ exists: true }, undefined, false],
  [{ not_exists: true }, undefined, true],
  [{ not_exists: true }, null, true],
  [{ not_exists: true }, '', false],
  // before / after: strict, dates as ISO strings (UTC without a zone) or epoch ms
  [{ before: '2024-01-01' }, '2023-12-31T23:59:59Z', true],
  [{ before: '2024-01-01' }, '2024-01-01', false],
  [{ before: '2024-01-01' }, '2023-12-31T23:00:00-02:00', false],
  [{ before: '2024-01-01' }, '2023-12-31T23:00:00', true],
  [{ before: '2024-01-01' }, Date.UTC(2023, 0, 1), true],
  [{ before: '2024-01-01' }, 'yesterday', false],
  [{ before: '2024-01-01' }, '2023-02-29', false],
  [{ after: '2024-01-01T00:00:00Z' }, '2024-01-01T00:00:00.001Z', true],
  [{ after: '2024-01-01T00:00:00+01:00' }, '2023-12-31T23:30:00Z', true],
  [{ after: '2024-01-01' }, '2024-01-01', false],
  [{ after: '2024-01-01' }, null, false],
  // within_last: now − d < t ≤ now
  [{ within_last: 'P7D' }, NOW - 7 * DAY, false],
  [{ within_last: 'P7D' }, NOW - 7 * DAY + 1, true],
  [{ within_last: 'P7D' }, NOW, true],
  [{ within_last: 'P7D' }, NOW + 1, false],
  [{ within_last: 'P7D' }, '2026-03-14', true],
  [{ within_last: 'PT3S' }, NOW - 3000, false],
  [{ within_last: 'PT3S' }, NOW - 2999, true],
  [{ within_last: 'P7D' }, 'last week', false],
  // more_than_ago: t ≤ now − d
  [{ more_than_ago: 'P30D' }, NOW - 30 * DAY, true],
  [{ more_than_ago: 'P30D' }, NOW - 30 * DAY + 1, false],
  [{ more_than_ago: 'P30D' }, '2020-01-01', true],
  [{ more_than_ago: 'P30D' }, null, false],
  // anniversary_within: from N days before an anniversary through the day itself (UTC)
  [{ anniversary_within: 7 }, '1990-03-15', true],
  [{ anniversary_within: 7 }, '1990-03-22', true],
  [{ anniversary_within: 7 }, '1990-03-22T23:59:59Z', true],
  [{ anniversary_within: 7 }, '1990-03-23', false],
  [{ anniversary_within: 7 }, '1990-03-14', false],
  [{ anniversary_within: 7 }, '2026-03-16', false],
  [{ anniversary_within: 7 }, '2025-03-20', true],
  [{ anniversary_within: 0 }, '1990-03-15T23:00:00Z', true],
  [{ anniversary_within: 0 }, '1990-03-16', false],
  [{ anniversary_within: 7 }, { year: 1990 }, false],
];

describe('operators on a trait', () => {
  it.each(cases)('%j on %j is %s', (test, value, expected) => {
    expect(evaluate({ trait: 'x', ...test }, withTrait(value), NOW)).toBe(expected);
  });

  it('reads nested traits and computed traits by dotted path', () => {
    const subject: Subject = {
      traits: { address: { city: 'Lyon' } },
      computed: {
        order_count: 4,
        rfm: { code: '554' },
        lifecycle: 'at_risk',
        affinities: { category: [{ value: 'shoes', score: 0.8 }, { value: 'hats' }] },
      },
      events: [],
      segments: new Set(),
    };
    const holds = (d: Parameters<typeof evaluate>[0]) => evaluate(d, subject, NOW);
    expect(holds({ trait: 'address.city', eq: 'Lyon' })).toBe(true);
    expect(holds({ computed: 'order_count', gte: 3 })).toBe(true);
    expect(holds({ computed: 'rfm.code', in: ['555', '554'] })).toBe(true);
    expect(holds({ computed: 'lifecycle', eq: 'at_risk' })).toBe(true);
    expect(holds({ computed: 'affinities.category.0.value', eq: 'shoes' })).toBe(true);
    expect(holds({ computed: 'affinities.category.1.value', eq: 'shoes' })).toBe(false);
    expect(holds({ computed: 'affinities.category.2.value', exists: true })).toBe(false);
    // Traits and computed traits are separate namespaces.
    expect(holds({ trait: 'order_count', exists: true })).toBe(false);
    // Paths never reach into prototypes or array lengths.
    expect(holds({ trait: 'address.constructor', exists: true })).toBe(false);
    expect(holds({ trait: '__proto__', exists: true })).toBe(false);
    expect(holds({ computed: 'affinities.category.length', eq: 2 })).toBe(false);
    expect(holds({ computed: 'lifecycle.length', exists: true })).toBe(false);
  });

  it('tests membership of another segment', () => {
    const subject: Subject = { ...withTrait(undefined), segments: new Set(['seg_vip']) };
    expect(evaluate({ segment: 'seg_vip' }, subject, NOW)).toBe(true);
    expect(evaluate({ segment: 'seg_other' }, subject, NOW)).toBe(false);
    expect(evaluate({ not: { segment: 'seg_other' } }, subject, NOW)).toBe(true);
  });

  it('combines with all, any and not', () => {
    const s = withTrait(5);
    const yes = { trait: 'x', eq: 5 } as const;
    const no = { trait: 'x', eq: 6 } as const;
    expect(evaluate({ all: [yes, yes] }, s, NOW)).toBe(true);
    expect(evaluate({ all: [yes, no] }, s, NOW)).toBe(false);
    expect(evaluate({ any: [no, yes] }, s, NOW)).toBe(true);
    expect(evaluate({ any: [no, no] }, s, NOW)).toBe(false);
    expect(evaluate({ not: no }, s, NOW)).toBe(true);
    expect(evaluate({ not: { all: [yes, { not: no }] } }, s, NOW)).toBe(false);
  });
});
