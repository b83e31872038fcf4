import { describe, expect, it } from 'vitest';
import { zodDetails } from '../../shared/index.js';
import { CreateSegment } from './schema.js';

const problemsOf = (definition: unknown) => {
  const result = CreateSegment.safeParse({ name: 'Test', definition });
  return result.success ? [] : zodDetails(result.error);
};

// What each malformed definition reports, and where.
describe('SegmentDefinition', () => {
  it.each<[string, unknown, { path: string; problem: string }[]]>([
    [
      'no operator',
      { trait: 'plan' },
      [
        {
          path: 'definition',
          problem:
            'has no operator; add one of eq, neq, in, not_in, contains, starts_with, gt, gte, lt, lte, between, exists, not_exists, before, after, within_last, more_than_ago, anniversary_within',
        },
      ],
    ],
    [
      'two operators',
      { trait: 'plan', eq: 'pro', neq: 'free' },
      [
        {
          path: 'definition',
          problem:
            'has 2 operators (eq, neq); use exactly one, and combine conditions with "all" or "any"',
        },
      ],
    ],
    [
      'an unknown operator',
      { trait: 'plan', equals: 'pro' },
      [
        {
          path: 'definition.equals',
          problem:
            'unknown operator "equals"; use one of eq, neq, in, not_in, contains, starts_with, gt, gte, lt, lte, between, exists, not_exists, before, after, within_last, more_than_ago, anniversary_within',
        },
      ],
    ],
    [
      'a where entry with no operator',
      { all: [{ event: 'Product Viewed', where: { 'properties.category': {} } }] },
      [
        {
          path: 'definition.all.0.where.properties.category',
          problem:
            'has no operator; add one of eq, neq, in, not_in, contains, starts_with, gt, gte, lt, lte, between, exists, not_exists, before, after',
        },
      ],
    ],
    [
      'a where path outside the event',
      { event: 'Product Viewed', where: { category: { eq: 'shoes' } } },
      [
        {
          path: 'definition.where.category',
          problem:
            'must be a path into the event, starting with "properties." or "context." (or be "type", "event" or "timestamp"); did you mean "properties.category"?',
        },
      ],
    ],
    [
      'a bad duration',
      { event: 'X', within: '7 days' },
      [
        {
          path: 'definition.within',
          problem:
            '"7 days" is not an ISO 8601 duration such as PT24H, P7D or P1DT12H (weeks, days, hours, minutes and seconds)',
        },
      ],
    ],
    [
      'a duration in months',
      { trait: 'seen', within_last: 'P1M' },
      [
        {
          path: 'definition.within_last',
          problem:
            '"P1M": months and years have no fixed length; write days or weeks instead, such as P30D or P365D',
        },
      ],
    ],
    [
      'a between that is not a pair',
      { trait: 'age', between: [18] },
      [
        {
          path: 'definition.between',
          problem: 'must be a pair [low, high] of numbers, or of ISO 8601 dates',
        },
      ],
    ],
    [
      'a between the wrong way round',
      { trait: 'age', between: [30, 18] },
      [{ path: 'definition.between', problem: 'must not start after it ends (low ≤ high)' }],
    ],
    [
      'a between mixing a date and a number',
      { trait: 'signup', between: ['2024-01-01', 5] },
      [
        {
          path: 'definition.between',
          problem:
            'must be a pair [low, high] of numbers, or of dates (each must be an ISO 8601 date or date-time with a zone, such as 2024-05-01 or 2024-05-01T09:00:00Z)',
        },
      ],
    ],
    [
      'a time operator inside where',
      { event: 'X', where: { 'properties.at': { within_last: 'P7D' } } },
      [
        {
          path: 'definition.where.properties.at.within_last',
          problem:
            'operator "within_last" cannot be used in where (a match must not change with time: put the window in the event condition’s "within", or use first/last); use one of eq, neq, in, not_in, contains, starts_with, gt, gte, lt, lte, between, exists, not_exists, before, after',
        },
      ],
    ],
    [
      'a text operator on count',
      { event: 'X', count: { contains: 'x' } },
      [
        {
          path: 'definition.count.contains',
          problem:
            'operator "contains" cannot be used in count; use one of eq, neq, gt, gte, lt, lte, between',
        },
      ],
    ],
    [
      'a negative count',
      { event: 'X', count: { gte: -1 } },
      [{ path: 'definition.count.gte', problem: 'must be a whole number ≥ 0' }],
    ],
    [
      'a fractional count',
      { event: 'X', count: { lt: 2.5 } },
      [{ path: 'definition.count.lt', problem: 'must be a whole number ≥ 0' }],
    ],
    [
      'count as a number',
      { event: 'X', count: 2 },
      [
        {
          path: 'definition.count',
          problem: 'must be an object with one operator, such as {"gte": 2}',
        },
      ],
    ],
    [
      'within with first',
      { event: 'X', within: 'P7D', first: { within_last: 'P7D' } },
      [
        {
          path: 'definition.within',
          problem:
            'cannot be combined with first or last, which look at all time; test their time instead, e.g. "first": {"within_last": "P30D"}',
        },
      ],
    ],
    [
      'a value operator on first',
      { event: 'X', first: { eq: 3 } },
      [
        {
          path: 'definition.first.eq',
          problem:
            'operator "eq" cannot be used in first or last; use one of before, after, between, within_last, more_than_ago',
        },
      ],
    ],
    [
      'an impossible date',
      { trait: 'signup', before: '2024-02-30' },
      [
        {
          path: 'definition.before',
          problem:
            'must be an ISO 8601 date or date-time with a zone, such as 2024-05-01 or 2024-05-01T09:00:00Z',
        },
      ],
    ],
    [
      'a date-time without a zone',
      { trait: 'signup', after: '2024-01-01T10:00:00' },
      [
        {
          path: 'definition.after',
          problem:
            'must be an ISO 8601 date or date-time with a zone, such as 2024-05-01 or 2024-05-01T09:00:00Z',
        },
      ],
    ],
    [
      'an empty in list',
      { trait: 'plan', in: [] },
      [
        {
          path: 'definition.in',
          problem: 'must be a non-empty list of strings, numbers or booleans',
        },
      ],
    ],
    [
      'an object in an in list',
      { trait: 'plan', in: ['a', { b: 1 }] },
      [
        {
          path: 'definition.in',
          problem: 'must list only strings, numbers or booleans (item 1 is an object)',
        },
      ],
    ],
    [
      'an object operand',
      { trait: 'plan', eq: { value: 'pro' } },
      [{ path: 'definition.eq', problem: 'must be a string, a number or a boolean' }],
    ],
    [
      'gt on a date',
      { trait: 'signup', gt: '2024-01-01' },
      [{ path: 'definition.gt', problem: 'must be a number (use before/after for dates)' }],
    ],
    [
      'exists false',
      { trait: 'email', exists: false },
      [{ path: 'definition.exists', problem: 'must be true' }],
    ],
    [
      'too many anniversary days',
      { trait: 'birthday', anniversary_within: 400 },
      [
        {
          path: 'definition.anniversary_within',
          problem: 'must be a whole number of days from 0 to 365',
        },
      ],
    ],
    [
      'an empty path part',
      { trait: 'address..city', eq: 'Lyon' },
      [
        {
          path: 'definition.trait',
          problem:
            'must be a dotted path such as "plan" or "rfm.code" (no empty parts, at most 256 characters)',
        },
      ],
    ],
    [
      'two kinds in one condition',
      { trait: 'plan', event: 'X', eq: 'pro' },
      [
        {
          path: 'definition',
          problem:
            'mixes "trait" and "event": a condition has exactly one of "trait", "computed", "event", "segment", "all", "any", "not"; combine conditions with "all" or "any"',
        },
      ],
    ],
    [
      'no kind',
      { not: { eq: 'pro' } },
      [
        {
          path: 'definition.not',
          problem:
            'is not a condition: it needs exactly one of "trait", "computed", "event", "segment", "all", "any", "not"',
        },
      ],
    ],
    [
      'an empty all',
      { all: [] },
      [{ path: 'definition.all', problem: 'must be a non-empty list of conditions' }],
    ],
    [
      'a non-object in any',
      { any: [{ segment: 'a' }, 'b'] },
      [
        {
          path: 'definition.any.1',
          problem: 'must be a condition object, such as {"trait": "plan", "eq": "pro"}',
        },
      ],
    ],
    [
      'an unknown field in an event condition',
      { event: 'X', withinn: 'P7D' },
      [
        {
          path: 'definition.withinn',
          problem:
            'unknown field "withinn" in an event condition; it takes "event", "where", "count", "within", "first", "last"',
        },
      ],
    ],
    [
      'an extra field beside segment',
      { segment: 'a', eq: 1 },
      [
        {
          path: 'definition.eq',
          problem: 'unknown field "eq" in a segment condition; it takes "segment"',
        },
      ],
    ],
    [
      'an empty segment id',
      { segment: '' },
      [
        {
          path: 'definition.segment',
          problem: 'must be a segment id: a non-empty string of at most 1024 characters',
        },
      ],
    ],
    [
      'a missing definition',
      undefined,
      [
        {
          path: 'definition',
          problem: 'must be a condition object, such as {"trait": "plan", "eq": "pro"}',
        },
      ],
    ],
  ])('rejects %s with its path', (_what, definition, expected) => {
    expect(problemsOf(definition)).toEqual(expected);
  });
});
