import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['order_count', 'odrer_count', 1],
    ['cdoe', 'code', 1],
    ['ab', 'ba', 1],
    ['flaw', 'lawn', 2],
    ['same', 'same', 0],
  ])('%s -> %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const known = ['order_count', 'revenue', 'last_order_at', 'lifecycle', 'rfm'];
  it('finds the closest known name', () => {
    expect(didYouMean('odrer_count', known)).toBe('order_count');
    expect(didYouMean('revnue', known)).toBe('revenue');
    expect(didYouMean('Lifecycle', known)).toBe('lifecycle');
    expect(didYouMean('rfn', known)).toBe('rfm');
  });
  it('says nothing when no name is close', () => {
    expect(didYouMean('favourite_colour', known)).toBeUndefined();
    expect(didYouMean('zzz', known)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
  it('prefers the nearer of two candidates', () => {
    expect(didYouMean('Product Viewd', ['Product Added', 'Product Viewed'])).toBe('Product Viewed');
  });
});
