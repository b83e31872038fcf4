import { describe, expect, it } from 'vitest';
import {
  emptyGroup,
  emptyRow,
  problemsOf,
  toDefinition,
  updateAt,
  type Group,
  type Row,
} from '../../web/src/pages/rule-builder.js';
import { fromDefinition } from '../../web/src/pages/rule-parse.js';

/** The builder's model of the dashboard: JSON in, the same JSON out. */
describe('the segment rule builder', () => {
  it.each([
    [{ trait: 'plan', eq: 'pro' }],
    [{ not: { computed: 'order_count', gte: 3 } }],
    [{ trait: 'vip', exists: true }],
    [{ trait: 'plan', eq: '42' }],
    [{ event: 'Order Completed', within: 'P30D' }],
    [{ event: 'Product Viewed', count: { gte: 2 }, within: 'P7D' }],
    [{ event: 'Product Viewed', where: { 'properties.category': { eq: 'shoes' } } }],
    [{ segment: 'seg_vip' }],
    [{ not: { not: { segment: 'seg_vip' } } }],
    [{ trait: 'plan', in: ['a', 'b'] }],
    [
      {
        all: [
          { trait: 'plan', eq: 'pro' },
          {
            any: [
              { event: 'Order Completed', within: 'P30D' },
              { not: { all: [{ computed: 'lifecycle', eq: 'at_risk' }, { segment: 's1' }] } },
            ],
          },
        ],
      },
    ],
    [
      {
        any: [
          { trait: 'a', eq: 1 },
          { trait: 'b', eq: true },
        ],
      },
    ],
  ])('round-trips %j', (definition) => {
    const rule = fromDefinition(definition);
    expect(problemsOf(rule)).toEqual([]);
    expect(toDefinition(rule)).toEqual(definition);
    expect(toDefinition(fromDefinition(toDefinition(rule)))).toEqual(definition);
  });

  it('keeps what rows cannot show as JSON items, and groups as groups', () => {
    const rule = fromDefinition({
      all: [
        { segment: 's1' },
        {
          any: [
            { trait: 'a', eq: 'x' },
            { trait: 'b', eq: 'y' },
          ],
        },
      ],
    });
    expect(rule.items.map((i) => i.kind)).toEqual(['json', 'group']);
    const inner = rule.items[1] as Group;
    expect(inner.join).toBe('any');
    expect(inner.items.map((i) => i.kind)).toEqual(['trait', 'trait']);
  });

  it('builds nested groups and names problems by their place', () => {
    let rule: Group = { kind: 'group', join: 'all', negate: false, items: [emptyRow()] };
    rule = updateAt(rule, [0], () => ({ ...emptyRow(), name: 'plan', value: 'pro' }));
    rule = { ...rule, items: [...rule.items, emptyGroup('any')] };
    expect(problemsOf(rule)).toEqual(['Condition 2.1: the trait path is empty.']);
    rule = updateAt(rule, [1, 0], (r) => ({
      ...(r as Row),
      kind: 'event',
      name: 'Order Completed',
    }));
    rule = updateAt(rule, [1], (g) => ({
      ...(g as Group),
      negate: true,
      items: [...(g as Group).items, { ...emptyRow(), kind: 'json', json: '{"segment": "s1"}' }],
    }));
    expect(problemsOf(rule)).toEqual([]);
    expect(toDefinition(rule)).toEqual({
      all: [
        { trait: 'plan', eq: 'pro' },
        { not: { any: [{ event: 'Order Completed' }, { segment: 's1' }] } },
      ],
    });
    rule = updateAt(rule, [1, 1], (r) => ({ ...r, json: '{"segment": ' }));
    rule = updateAt(rule, [1, 0], () => null);
    expect(problemsOf(rule)).toEqual(['Condition 2.1: the JSON is not a condition object.']);
    rule = updateAt(rule, [1, 0], () => null);
    expect(problemsOf(rule)).toEqual(['Group 2: add a condition or remove the group.']);
  });
});
