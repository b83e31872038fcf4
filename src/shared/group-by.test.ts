import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupBy, pushTo } from './group-by.js';

describe('pushTo', () => {
  it('creates the list on first use and appends after', () => {
    const groups = new Map<string, number[]>();
    expect(pushTo(groups, 'a', 1)).toEqual([1]);
    pushTo(groups, 'b', 2);
    expect(pushTo(groups, 'a', 3)).toBe(groups.get('a'));
    expect([...groups]).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
  });
});

describe('groupBy', () => {
  it('keeps groups in order of first appearance and items in order', () => {
    const words = ['apple', 'bean', 'avocado', 'cherry', 'banana'];
    expect([...groupBy(words, (w) => w[0])]).toEqual([
      ['a', ['apple', 'avocado']],
      ['b', ['bean', 'banana']],
      ['c', ['cherry']],
    ]);
  });

  it('loses and invents nothing (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), (xs) => {
        const groups = groupBy(xs, (x) => x % 7);
        expect([...groups.values()].flat().sort((a, b) => a - b)).toEqual(
          [...xs].sort((a, b) => a - b),
        );
        for (const [key, list] of groups) {
          expect(list.every((x) => x % 7 === key)).toBe(true);
          expect(list).toEqual(xs.filter((x) => x % 7 === key));
        }
      }),
    );
  });
});
