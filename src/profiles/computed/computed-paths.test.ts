import { describe, expect, it } from 'vitest';
import { unknownComputedPath } from './computed-paths.js';

describe('unknownComputedPath', () => {
  it.each([
    'order_count',
    'rfm.code',
    'rfm',
    'affinities.category.0.value',
    'event_counts.Order Completed',
    'traits.plan',
    'channel_engagement.email',
    'last_seen',
  ])('accepts %s', (path) => {
    expect(unknownComputedPath(path)).toBeNull();
  });

  it('names the unknown part and what exists there', () => {
    const top = unknownComputedPath('odrer_count');
    expect(top).toMatchObject({ at: 'odrer_count', name: 'odrer_count' });
    expect(top!.known).toContain('order_count');
    const nested = unknownComputedPath('affinities.categroy.0.value');
    expect(nested).toEqual({
      at: 'affinities.categroy',
      name: 'categroy',
      known: ['category', 'brand', 'size', 'colour'],
    });
    expect(unknownComputedPath('affinities.category.first')).toMatchObject({
      at: 'affinities.category.first',
      known: [],
    });
  });
});
