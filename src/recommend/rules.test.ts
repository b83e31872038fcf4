import { describe, expect, it } from 'vitest';
import { Recommender } from './recommender.js';
import type { RecommendRequestInput } from './request.js';
import type { Interaction } from './schemas.js';
import { DAY, T0, item, ix } from '../../test/factories/recommend.js';
import { train } from './train.js';

const catalog = [
  item('s1', { categories: ['Shoes'], brand: 'Acme', price: 50 }),
  item('s2', { categories: ['Shoes'], brand: 'Bolt', price: 80, stock: 0 }),
  item('s3', { categories: ['Shoes'], brand: 'Acme', price: 120 }),
  item('h1', { categories: ['Hats'], brand: 'Acme', price: 20, inStock: false }),
  item('h2', { categories: ['Hats'], brand: 'Bolt', price: 30 }),
  item('t1', { categories: ['Tea'], price: 5, tags: ['replenishable'] }),
  item('t2', {
    categories: ['Tea'],
    price: 6,
    attributes: { replenishable: true, replenishAfterDays: 30 },
  }),
  item('n1', { categories: ['Socks'] }),
  item('z1', { categories: ['Misc'], createdAt: T0 - DAY }),
];
// Popularity (interactions, no decay): s1 8, s2 7, s3 6, h1 5, h2 4, t1 3, t2 2, n1 1, z1 0.
const counts: Record<string, number> = { s1: 8, s2: 7, s3: 6, h1: 5, h2: 4, t1: 3, t2: 2, n1: 1 };
const crowd: Interaction[] = Object.entries(counts).flatMap(([id, n]) =>
  Array.from({ length: n }, (_, k) => ix(`c${k}`, id, T0 - 100 * DAY)),
);
// One person bought s1 and t1 forty days ago, t2 ten days ago, and viewed h2.
const buyer: Interaction[] = [
  ix('buyer', 's1', T0 - 40 * DAY),
  ix('buyer', 't1', T0 - 40 * DAY),
  ix('buyer', 't2', T0 - 10 * DAY),
  ix('buyer', 'h2', T0 - DAY, 'view'),
];
const rec = new Recommender({
  catalog,
  models: [
    train({ strategy: 'history' }, buyer, catalog, T0),
    train({ strategy: 'popular', halfLifeDays: null, count: 'interactions' }, crowd, catalog, T0),
  ],
});
const ids = (req: RecommendRequestInput, now = T0) =>
  rec
    .recommend({ strategy: 'popular', limit: 10, fill: false, ...req }, now)
    .items.map((i) => i.itemId);

describe('business rules', () => {
  it('leaves out-of-stock items out unless asked', () => {
    expect(ids({})).toEqual(['s1', 's3', 'h2', 't1', 't2', 'n1']);
    expect(ids({ includeOutOfStock: true })).toEqual([
      's1',
      's2',
      's3',
      'h1',
      'h2',
      't1',
      't2',
      'n1',
    ]);
  });

  it('excludes given ids, the cart and the item on the page', () => {
    expect(ids({ exclude: ['s1', 'nope'] })).toEqual(['s3', 'h2', 't1', 't2', 'n1']);
    expect(ids({ cart: ['s3', 'h2'] })).toEqual(['s1', 't1', 't2', 'n1']);
    expect(ids({ itemId: 't1' })).toEqual(['s1', 's3', 'h2', 't2', 'n1']);
  });

  it('includes and excludes categories and brands', () => {
    expect(ids({ category: 'Shoes' })).toEqual(['s1', 's3']);
    expect(ids({ categories: ['shoes', 'HATS'] })).toEqual(['s1', 's3', 'h2']);
    expect(ids({ excludeCategories: ['Shoes'] })).toEqual(['h2', 't1', 't2', 'n1']);
    expect(ids({ brands: ['Acme'] })).toEqual(['s1', 's3']);
    expect(ids({ excludeBrands: ['Acme'] })).toEqual(['h2', 't1', 't2', 'n1']);
    expect(ids({ category: 'Unknown' })).toEqual([]);
  });

  it('filters by price range, leaving unpriced items out', () => {
    expect(ids({ minPrice: 10, maxPrice: 100 })).toEqual(['s1', 'h2']);
    expect(ids({ maxPrice: 6 })).toEqual(['t1', 't2']);
  });

  it('excludes purchases but lets replenishable items back when due', () => {
    // s1 bought: out. t1 replenishable with no delay: in. t2 needs 30 days, bought 10 ago: out.
    expect(ids({ userId: 'buyer' })).toEqual(['s3', 'h2', 't1', 'n1']);
    // 25 days later t2 was bought 35 days ago: due again.
    expect(ids({ userId: 'buyer' }, T0 + 25 * DAY)).toEqual(['s3', 'h2', 't1', 't2', 'n1']);
    expect(ids({ userId: 'buyer', excludePurchased: false })).toEqual([
      's1',
      's3',
      'h2',
      't1',
      't2',
      'n1',
    ]);
    // excludeSeen drops everything the person touched, the viewed h2 included.
    expect(ids({ userId: 'buyer', excludeSeen: true })).toEqual(['s3', 'n1']);
  });

  it('boosts matching items within the candidate pool', () => {
    const res = rec.recommend(
      {
        strategy: 'popular',
        limit: 3,
        fill: false,
        boosts: [{ match: { categories: ['Hats'] }, factor: 3 }],
      },
      T0,
    );
    // h2: 4 × 3 = 12 beats s1 (8) and s3 (6).
    expect(res.items.map((i) => [i.itemId, i.score])).toEqual([
      ['h2', 12],
      ['s1', 8],
      ['s3', 6],
    ]);
    const demoted = ids({
      limit: 2,
      boosts: [{ match: { brands: ['acme'], attributes: {} }, factor: 0.1 }],
    });
    expect(demoted).toEqual(['h2', 't1']);
  });

  it('caps items per primary category, relaxing the cap only when it must', () => {
    expect(ids({ limit: 4, maxPerCategory: 1 })).toEqual(['s1', 'h2', 't1', 'n1']);
    // Only four categories among six eligible items: the cap gives way for the last two.
    expect(ids({ limit: 6, maxPerCategory: 1 })).toEqual(['s1', 'h2', 't1', 'n1', 's3', 't2']);
  });

  it('re-ranks with MMR as computed by hand', () => {
    // Pool in order s1 s3 h2 t1 t2 n1 → rel 1, 5/6, 4/6, 3/6, 2/6, 1/6; similarity = category
    // overlap. λ = 0.5: s1 (0.5); then s3 scores 0.5·5/6 − 0.5·1 < h2 0.5·4/6; then t1.
    expect(ids({ limit: 3, mmrLambda: 0.5 })).toEqual(['s1', 'h2', 't1']);
    expect(ids({ limit: 3, mmrLambda: 1 })).toEqual(['s1', 's3', 'h2']);
  });

  it('fills from the catalog, newest first, rather than return fewer than asked', () => {
    const res = rec.recommend({ strategy: 'popular', limit: 10 }, T0);
    expect(res.items.map((i) => i.itemId)).toEqual(['s1', 's3', 'h2', 't1', 't2', 'n1', 'z1']);
    expect(res.items[6]).toMatchObject({
      strategy: 'catalog',
      score: 0,
      reason: { code: 'catalog', text: 'New arrival' },
    });
  });
});
