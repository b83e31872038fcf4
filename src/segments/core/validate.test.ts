import { describe, expect, it } from 'vitest';
import type { SegmentDefinition } from './types.js';
import { validateSegment } from './validate.js';

const store = (entries: Record<string, SegmentDefinition>) => {
  const lookups: string[] = [];
  return {
    lookups,
    lookup: (id: string) => {
      lookups.push(id);
      return entries[id];
    },
  };
};
const PRO: SegmentDefinition = { trait: 'plan', eq: 'pro' };

describe('validateSegment', () => {
  it('returns the parsed body when all is well', () => {
    const { lookup } = store({ seg_b: PRO });
    const body = { name: ' Pros who are B ', definition: { all: [PRO, { segment: 'seg_b' }] } };
    expect(validateSegment(body, { selfId: 'seg_a', lookup })).toEqual({
      kind: 'ok',
      value: { name: 'Pros who are B', definition: body.definition },
    });
  });

  it('reports an unknown segment where it is referenced', () => {
    const { lookup } = store({});
    expect(
      validateSegment(
        { name: 'x', definition: { any: [PRO, { not: { segment: 'seg_gone' } }] } },
        { lookup },
      ),
    ).toEqual({
      kind: 'invalid',
      details: [
        {
          path: 'definition.any.1.not.segment',
          problem: 'refers to an unknown segment "seg_gone"',
        },
      ],
    });
  });

  it('reports a reference to itself', () => {
    const { lookup } = store({ seg_a: PRO });
    expect(
      validateSegment(
        { name: 'x', definition: { all: [PRO, { segment: 'seg_a' }] } },
        {
          selfId: 'seg_a',
          lookup,
        },
      ),
    ).toEqual({
      kind: 'invalid',
      details: [
        { path: 'definition.all.1.segment', problem: 'refers to this segment itself ("seg_a")' },
      ],
    });
  });

  it('reports A → B → A', () => {
    const { lookup } = store({ seg_a: PRO, seg_b: { segment: 'seg_a' } });
    expect(
      validateSegment({ name: 'x', definition: { segment: 'seg_b' } }, { selfId: 'seg_a', lookup }),
    ).toEqual({
      kind: 'invalid',
      details: [
        { path: 'definition.segment', problem: 'makes a cycle: "seg_a" → "seg_b" → "seg_a"' },
      ],
    });
  });

  it('reports a longer cycle through nested references, by its shortest route', () => {
    const { lookup } = store({
      seg_a: PRO,
      seg_b: { any: [{ segment: 'seg_c' }, { segment: 'seg_d' }] },
      seg_c: { all: [PRO, { segment: 'seg_d' }] },
      seg_d: { not: { segment: 'seg_a' } },
    });
    const result = validateSegment(
      { name: 'x', definition: { not: { any: [PRO, { segment: 'seg_b' }] } } },
      { selfId: 'seg_a', lookup },
    );
    expect(result).toEqual({
      kind: 'invalid',
      details: [
        {
          path: 'definition.not.any.1.segment',
          problem: 'makes a cycle: "seg_a" → "seg_b" → "seg_d" → "seg_a"',
        },
      ],
    });
  });

  it('accepts a diamond and a chain without cycles', () => {
    const { lookup } = store({
      seg_b: { segment: 'seg_d' },
      seg_c: { segment: 'seg_d' },
      seg_d: { segment: 'seg_e' },
      seg_e: PRO,
    });
    const definition = { all: [{ segment: 'seg_b' }, { segment: 'seg_c' }] };
    expect(validateSegment({ name: 'x', definition }, { selfId: 'seg_a', lookup }).kind).toBe('ok');
  });

  it('ends on a cycle among other segments that does not pass through this one', () => {
    const { lookup, lookups } = store({ seg_b: { segment: 'seg_c' }, seg_c: { segment: 'seg_b' } });
    expect(
      validateSegment({ name: 'x', definition: { segment: 'seg_b' } }, { selfId: 'seg_a', lookup })
        .kind,
    ).toBe('ok');
    expect(lookups.length).toBeLessThan(10);
  });

  it('never reads the stored definition of the segment being replaced', () => {
    // Updating seg_a to drop its reference to seg_b: the old definition must not count.
    const { lookup, lookups } = store({
      seg_a: { segment: 'seg_b' },
      seg_b: { segment: 'seg_c' },
      seg_c: PRO,
    });
    expect(
      validateSegment({ name: 'x', definition: { segment: 'seg_b' } }, { selfId: 'seg_a', lookup })
        .kind,
    ).toBe('ok');
    expect(lookups).not.toContain('seg_a');
  });

  it('reports reference problems together with a bad name', () => {
    const { lookup } = store({});
    const result = validateSegment(
      { name: '', definition: { segment: 'seg_a' } },
      {
        selfId: 'seg_a',
        lookup,
      },
    );
    expect(result).toEqual({
      kind: 'invalid',
      details: [
        { path: 'name', problem: 'must not be empty' },
        { path: 'definition.segment', problem: 'refers to this segment itself ("seg_a")' },
      ],
    });
  });

  it('reports shape problems without looking references up', () => {
    const { lookup, lookups } = store({});
    const result = validateSegment(
      { name: 'x', definition: { all: [{ segment: 'seg_b' }, { trait: 'plan' }] }, extra: 1 },
      { lookup },
    );
    expect(result.kind).toBe('invalid');
    expect(result.kind !== 'ok' && result.details.map((d) => d.path)).toEqual([
      'definition.all.1',
      '',
    ]);
    expect(lookups).toEqual([]);
  });

  it('never throws on any input', () => {
    for (const input of [null, 5, 'x', [], {}, { name: 'x' }, { definition: { segment: 1 } }]) {
      expect(validateSegment(input, { lookup: () => undefined }).kind).toBe('invalid');
    }
  });
});
