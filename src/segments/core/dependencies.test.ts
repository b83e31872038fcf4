import { describe, expect, it } from 'vitest';
import { dependencies } from './dependencies.js';
import { orderByReferences, segmentReferences } from './references.js';
import type { SegmentDefinition } from './types.js';

const DAY = 86_400_000;

describe('dependencies', () => {
  it('lists what a definition reads, sorted and once each', () => {
    const definition: SegmentDefinition = {
      all: [
        { trait: 'plan', eq: 'pro' },
        { trait: 'address.city', in: ['Lyon', 'Paris'] },
        { computed: 'rfm.code', in: ['555'] },
        {
          any: [
            {
              event: 'Product Viewed',
              where: { 'properties.category': { eq: 'shoes' } },
              within: 'P7D',
            },
            { event: 'Cart Viewed', within: 'PT24H' },
            { not: { segment: 'seg_b' } },
          ],
        },
        { not: { event: 'Order Completed', within: 'P60D' } },
        { segment: 'seg_a' },
        { trait: 'plan', neq: 'free' },
        { event: 'Product Viewed', within: 'P1D' },
      ],
    };
    expect(dependencies(definition)).toEqual({
      traits: ['address.city', 'plan'],
      computed: ['rfm.code'],
      events: ['Cart Viewed', 'Order Completed', 'Product Viewed'],
      segments: ['seg_a', 'seg_b'],
      timeBased: true,
      maxLookbackMs: 60 * DAY,
    });
  });

  it.each<[string, SegmentDefinition, boolean, number | null]>([
    ['a static trait', { trait: 'plan', eq: 'pro' }, false, 0],
    ['an absolute date', { trait: 'signup', before: '2024-01-01' }, false, 0],
    ['a relative date', { trait: 'signup', within_last: 'P7D' }, true, 0],
    ['a birthday', { trait: 'birthday', anniversary_within: 7 }, true, 0],
    ['a segment', { segment: 'seg_a' }, false, 0],
    ['an event in a window', { event: 'X', within: 'PT3S' }, true, 3000],
    ['an event over all time', { event: 'X', count: { gte: 3 } }, true, null],
    ['a first time', { event: 'X', first: { before: '2024-01-01' } }, true, null],
    ['a last time', { event: 'X', last: { within_last: 'P7D' } }, true, null],
    [
      'a window and all time together',
      { any: [{ event: 'X', within: 'P7D' }, { event: 'Y' }] },
      true,
      null,
    ],
    [
      'two windows',
      { any: [{ event: 'X', within: 'P7D' }, { not: { event: 'Y', within: 'P30D' } }] },
      true,
      30 * DAY,
    ],
  ])('%s: timeBased %s, lookback %s', (_what, definition, timeBased, maxLookbackMs) => {
    expect(dependencies(definition)).toMatchObject({ timeBased, maxLookbackMs });
  });

  it('lists segment references with their paths', () => {
    expect(
      segmentReferences({
        all: [{ segment: 'a' }, { not: { any: [{ trait: 'x', exists: true }, { segment: 'b' }] } }],
      }),
    ).toEqual([
      { id: 'a', path: ['all', 0, 'segment'] },
      { id: 'b', path: ['all', 1, 'not', 'any', 1, 'segment'] },
    ]);
  });
});

describe('orderByReferences', () => {
  it('puts every segment after the segments it refers to', () => {
    const definitions = new Map<string, SegmentDefinition>([
      ['top', { all: [{ segment: 'mid' }, { segment: 'leaf' }, { segment: 'gone' }] }],
      ['mid', { not: { segment: 'leaf' } }],
      ['leaf', { trait: 'plan', eq: 'pro' }],
      ['alone', { computed: 'order_count', gte: 1 }],
    ]);
    const order = orderByReferences(definitions);
    expect([...order].sort()).toEqual(['alone', 'leaf', 'mid', 'top']);
    expect(order.indexOf('leaf')).toBeLessThan(order.indexOf('mid'));
    expect(order.indexOf('mid')).toBeLessThan(order.indexOf('top'));
  });

  it('throws on a cycle, which validation should have refused', () => {
    const definitions = new Map<string, SegmentDefinition>([
      ['a', { segment: 'b' }],
      ['b', { segment: 'a' }],
    ]);
    expect(() => orderByReferences(definitions)).toThrow('a → b → a');
  });
});
