import { describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/index.js';
import { Recommender } from './recommender.js';
import type { Interaction } from './schemas.js';
import { DAY, HOUR, T0, basket, item, ix } from '../../test/factories/recommend.js';
import { trainModels } from './train.js';

const catalog = ['a', 'b', 'c', 'd', 'e'].map((id) =>
  item(id, { title: id.toUpperCase(), categories: [id < 'c' ? 'Mugs' : 'Bags'] }),
);
const log: Interaction[] = [
  ...basket('u1', ['a', 'b'], T0 - 10 * DAY),
  ...basket('u2', ['a', 'b', 'c'], T0 - 9 * DAY),
  ...basket('u3', ['b', 'c'], T0 - 8 * DAY),
  ...basket('u4', ['a'], T0 - 7 * DAY),
  ix('u5', 'd', T0 - 3 * HOUR, 'view'),
  ix('u5', 'e', T0 - 2 * HOUR, 'view'),
  ix('u5', 'c', T0 - 1 * HOUR, 'view'),
];
const bundle = trainModels(
  [
    { strategy: 'history' },
    { strategy: 'popular' },
    { strategy: 'trending' },
    { strategy: 'bought_together' },
    { strategy: 'personalized', minSupport: 1, lambda: 1 },
  ],
  log,
  catalog,
  T0,
);
const rec = new Recommender({ catalog, bundle });

describe('Recommender', () => {
  it('lists the strategies it can serve', () => {
    expect(rec.strategies()).toEqual([
      'auto',
      'recently_viewed',
      'popular',
      'trending',
      'bought_together',
      'personalized',
    ]);
    expect(rec.trainedThrough).toBe(T0 - HOUR);
  });

  it('falls back along the chain and labels every item with its strategy', () => {
    // u5 viewed three items; popularity fills the rest. a outranks b: both have three
    // buyers, a's latest seven days ago, b's eight (half-life 30 days).
    const res = rec.recommend(
      { userId: 'u5', strategy: ['recently_viewed', 'popular'], limit: 5 },
      T0,
    );
    expect(res.chain).toEqual(['recently_viewed', 'popular']);
    expect(res.items.map((i) => [i.itemId, i.strategy])).toEqual([
      ['c', 'recently_viewed'],
      ['e', 'recently_viewed'],
      ['d', 'recently_viewed'],
      ['a', 'popular'],
      ['b', 'popular'],
    ]);
  });

  it('uses auto chains for a known person, a product page and a stranger', () => {
    expect(rec.recommend({ userId: 'u4', limit: 1 }, T0).chain).toEqual([
      'personalized',
      'bought_together',
      'popular',
    ]);
    expect(rec.recommend({ itemId: 'a', limit: 1 }, T0).chain).toEqual([
      'bought_together',
      'popular',
    ]);
    const stranger = rec.recommend({ userId: 'nobody', limit: 2 }, T0);
    expect(stranger.chain).toEqual(['trending', 'popular']);
    expect(stranger.items[0]!.reason.text).toBe('Trending now');
    const page = rec.recommend({ itemId: 'a', limit: 1 }, T0);
    expect(page.items[0]).toMatchObject({
      strategy: 'bought_together',
      reason: { text: 'Often bought with A' },
    });
  });

  it('serves recently viewed items, newest first', () => {
    const res = rec.recommend(
      { userId: 'u5', strategy: 'recently_viewed', limit: 3, fill: false },
      T0,
    );
    expect(res.items.map((i) => i.itemId)).toEqual(['c', 'e', 'd']);
    expect(res.items[0]!.reason).toEqual({
      code: 'recently_viewed',
      text: 'You viewed this recently',
    });
  });

  it('seeds item-to-item strategies from the cart, else the most recent history', () => {
    const fromCart = rec.recommend(
      { strategy: 'bought_together', cart: ['c'], limit: 2, fill: false },
      T0,
    );
    expect(fromCart.items.map((i) => i.itemId).sort()).toEqual(['a', 'b']);
    const fromHistory = rec.recommend(
      { userId: 'u4', strategy: 'bought_together', limit: 1, fill: false },
      T0,
    );
    expect(fromHistory.items[0]).toMatchObject({
      itemId: 'b',
      reason: { text: 'Often bought with A' },
    });
  });

  it('rejects unknown strategies and malformed requests with the field named', () => {
    expect(() => rec.recommend({ strategy: 'magic' }, T0)).toThrow(ValidationError);
    try {
      rec.recommend({ strategy: 'magic' }, T0);
    } catch (e) {
      expect((e as ValidationError).details[0]).toMatchObject({
        path: 'strategy',
        problem: expect.stringContaining('personalized'),
      });
    }
    try {
      rec.recommend({ limit: 0 }, T0);
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).details[0]!.path).toBe('limit');
    }
  });

  it('takes new interactions into account at once', () => {
    const live = new Recommender({ catalog, bundle });
    expect(
      live.recommend({ userId: 'u4', strategy: 'personalized', limit: 1, fill: false }, T0)
        .items[0]!.itemId,
    ).toBe('b');
    expect(live.observe(ix('u4', 'b', T0))).toBe(true);
    // b is now bought; EASE from {a, b} ranks c.
    const after = live.recommend(
      { userId: 'u4', strategy: 'personalized', limit: 1, fill: false },
      T0,
    );
    expect(after.items[0]!.itemId).toBe('c');
    expect(live.observe(ix('u4', 'not-in-catalog', T0))).toBe(false);
    expect(() => live.observe({ ...ix('u4', 'a'), timestamp: NaN })).toThrow(/timestamp/);
  });

  it('rejects two models with the same name', () => {
    expect(
      () => new Recommender({ catalog, models: [...bundle.models, bundle.models[1]!] }),
    ).toThrow(/popular/);
  });
});
