import { describe, expect, it } from 'vitest';
import { zodDetails } from '../../shared/index.js';
import { CreateSegment, SegmentDefinition } from './schema.js';

// The issue's example, exactly as written.
const EXAMPLE_TEXT = `{"name": "Shoe browsers, not buyers",
 "definition": {"all": [
   {"event": "Product Viewed", "where": {"properties.category": {"eq": "shoes"}}, "count": {"gte": 2}, "within": "P7D"},
   {"not": {"event": "Order Completed", "within": "P7D"}}]}}`;

const problemsOf = (definition: unknown) => {
  const result = CreateSegment.safeParse({ name: 'Test', definition });
  return result.success ? [] : zodDetails(result.error);
};

describe('SegmentDefinition', () => {
  it('accepts the example from the issue exactly as written', () => {
    const body: unknown = JSON.parse(EXAMPLE_TEXT);
    const result = CreateSegment.safeParse(body);
    expect(result.success).toBe(true);
    expect(result.data).toEqual(body);
  });

  it.each([
    { trait: 'plan', eq: 'pro' },
    { computed: 'order_count', gte: 3 },
    { computed: 'rfm.code', in: ['555', '554'] },
    { computed: 'lifecycle', eq: 'at_risk' },
    { computed: 'affinities.category.0.value', eq: 'shoes' },
    { segment: 'seg_123' },
    { trait: 'birthday', anniversary_within: 7 },
    { trait: 'signup_at', between: ['2024-01-01', '2024-12-31T23:59:59Z'] },
    { trait: 'age', between: [18, 30] },
    { trait: 'email', not_exists: true },
    { trait: 'last_login', more_than_ago: 'PT24H' },
    { not: { event: 'Order Completed', within: 'P60D' } },
    { event: 'Order Completed', first: { between: ['2024-01-01', '2024-02-01'] } },
    { event: 'Order Completed', last: { more_than_ago: 'P60D' }, count: { gte: 2 } },
    {
      event: 'Pricing',
      where: { type: { eq: 'page' }, 'context.page.path': { starts_with: '/p' } },
    },
    { event: 'Product Viewed', count: { between: [1, 3] }, within: 'PT3S' },
    { any: [{ trait: 'plan', eq: 'pro' }, { all: [{ segment: 'a' }, { not: { segment: 'b' } }] }] },
  ])('accepts %j', (definition) => {
    expect(problemsOf(definition)).toEqual([]);
  });

  it('reports every problem at once, each at its own path', () => {
    const problems = problemsOf({
      all: [
        { event: 'Product Viewed', where: { 'properties.category': { eq: 'a', in: ['b'] } } },
        { not: { trait: 'plan', eq: 'pro', equals: 'x' } },
        { any: [{ event: 'X', within: 'P1Y' }] },
      ],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'definition.all.0.where.properties.category',
      'definition.all.1.not.equals',
      'definition.all.2.any.0.within',
    ]);
  });

  it('checks the name', () => {
    const bad = (name: unknown) => {
      const r = CreateSegment.safeParse({ name, definition: { segment: 'a' } });
      return r.success ? [] : zodDetails(r.error);
    };
    expect(bad('')).toEqual([{ path: 'name', problem: 'must not be empty' }]);
    expect(bad('   ')).toEqual([{ path: 'name', problem: 'must not be empty' }]);
    expect(bad('x'.repeat(201))).toEqual([
      { path: 'name', problem: 'must be at most 200 characters' },
    ]);
    expect(bad(5)).toEqual([{ path: 'name', problem: 'must be a string' }]);
    expect(CreateSegment.parse({ name: ' VIPs ', definition: { segment: 'a' } }).name).toBe('VIPs');
  });

  describe('limits', () => {
    const nest = (levels: number): unknown => {
      let node: unknown = { trait: 'plan', eq: 'pro' };
      for (let i = 0; i < levels; i++) node = { not: node };
      return node;
    };

    it('accepts 20 levels and refuses 21, at the path of the first level too many', () => {
      expect(problemsOf(nest(19))).toEqual([]);
      expect(problemsOf(nest(20))).toEqual([
        {
          path: `definition${'.not'.repeat(20)}`,
          problem:
            'is nested too deeply: at most 20 levels of conditions (all/any/not add a level)',
        },
      ]);
    });

    it('refuses a very deep definition without overflowing the stack', () => {
      const problems = problemsOf(nest(100_000));
      expect(problems).toHaveLength(1);
      expect(problems[0]!.problem).toContain('nested too deeply');
    });

    it('accepts 200 conditions and refuses 201', () => {
      const leaves = (n: number) => Array.from({ length: n }, (_, i) => ({ segment: `s${i}` }));
      expect(problemsOf({ all: leaves(199) })).toEqual([]);
      expect(problemsOf({ all: leaves(200) })).toEqual([
        {
          path: 'definition',
          problem:
            'has more than 200 conditions; split it into segments and refer to them with {"segment": "<id>"}',
        },
      ]);
      expect(problemsOf({ any: leaves(1_000_000) })).toHaveLength(1);
    });

    it('caps list sizes and where entries', () => {
      const values = Array.from({ length: 1001 }, (_, i) => i);
      expect(problemsOf({ trait: 'x', in: values })).toEqual([
        { path: 'definition.in', problem: 'must list at most 1000 values' },
      ]);
      const where = Object.fromEntries(
        Array.from({ length: 33 }, (_, i) => [`properties.p${i}`, { exists: true }]),
      );
      expect(problemsOf({ event: 'X', where })).toEqual([
        { path: 'definition.where', problem: 'must have at most 32 entries' },
      ]);
    });
  });

  it('is usable on its own, with paths relative to the definition', () => {
    const result = SegmentDefinition.safeParse({ all: [{ trait: 'plan' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['all', 0]);
  });
});
