import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Recommender } from './recommender.js';
import type { RecommendRequestInput } from './request.js';
import type { CatalogItemInput, Interaction } from './schemas.js';
import { DAY, T0 } from '../../test/factories/recommend.js';
import { trainModels } from './train.js';

const CATS = ['Shoes', 'Hats', 'Tea', 'Bags'];
const BRANDS = ['Acme', 'Bolt'];
const USERS = ['u0', 'u1', 'u2', 'u3'];

const arbItem = (id: string) =>
  fc.record({
    id: fc.constant(id),
    title: fc.constantFrom('red shoe', 'blue hat', 'green tea', 'big bag', 'red hat'),
    categories: fc.subarray(CATS, { maxLength: 2 }),
    brand: fc.option(fc.constantFrom(...BRANDS), { nil: undefined }),
    price: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
    inStock: fc.option(fc.boolean(), { nil: undefined }),
    stock: fc.option(fc.constantFrom(0, 3), { nil: undefined }),
    tags: fc.subarray(['replenishable', 'sale']),
    attributes: fc.option(fc.record({ replenishAfterDays: fc.constantFrom(5, 40) }), {
      nil: undefined,
    }),
  });

const arbCatalog = fc
  .integer({ min: 2, max: 20 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbItem(`i${i}`))));

const arbInteraction = (n: number) =>
  fc.record({
    userId: fc.constantFrom(...USERS),
    itemId: fc.oneof(
      fc.integer({ min: 0, max: n - 1 }).map((i) => `i${i}`),
      fc.constant('ghost'),
    ),
    timestamp: fc.integer({ min: 0, max: 60 }).map((d) => T0 - d * DAY),
    kind: fc.constantFrom('view' as const, 'cart' as const, 'purchase' as const),
  });

const arbRequest = (n: number) => {
  const id = fc.integer({ min: 0, max: n + 1 }).map((i) => `i${i}`);
  return fc.record(
    {
      strategy: fc.oneof(
        fc.constantFrom(
          'auto',
          'popular',
          'trending',
          'personalized',
          'bought_together',
          'viewed_together',
          'similar',
          'recently_viewed',
        ),
        fc.constant<string[]>(['personalized', 'similar']),
      ),
      userId: fc.constantFrom('u0', 'u1', 'u2', 'u3', 'stranger'),
      history: fc.array(
        fc.record({ itemId: id, kind: fc.constantFrom('view' as const, 'purchase' as const) }),
        { maxLength: 3 },
      ),
      itemId: id,
      cart: fc.array(id, { maxLength: 3 }),
      exclude: fc.array(id, { maxLength: 3 }),
      categories: fc.subarray(CATS, { maxLength: 2 }),
      excludeCategories: fc.subarray(CATS, { maxLength: 1 }),
      brands: fc.subarray(BRANDS, { minLength: 1 }),
      excludeBrands: fc.subarray(BRANDS, { maxLength: 1 }),
      minPrice: fc.integer({ min: 0, max: 60 }),
      maxPrice: fc.integer({ min: 40, max: 100 }),
      excludePurchased: fc.boolean(),
      excludeSeen: fc.boolean(),
      includeOutOfStock: fc.boolean(),
      maxPerCategory: fc.integer({ min: 1, max: 3 }),
      mmrLambda: fc.double({ min: 0, max: 1, noNaN: true }),
      boosts: fc.array(
        fc.record({
          match: fc.record({ categories: fc.subarray(CATS, { minLength: 1 }) }),
          factor: fc.double({ min: 0.1, max: 5, noNaN: true }),
        }),
        { maxLength: 2 },
      ),
      limit: fc.integer({ min: 1, max: 12 }),
      fill: fc.boolean(),
    },
    { requiredKeys: ['strategy', 'limit', 'fill'] },
  );
};

/** The rules restated independently of the implementation. */
function eligibleIds(
  catalog: readonly CatalogItemInput[],
  log: readonly Interaction[],
  req: RecommendRequestInput,
  now: number,
): Set<string> {
  const known = new Set(catalog.map((c) => c.id));
  const lower = (xs: readonly string[] | undefined) =>
    xs ? new Set(xs.map((x) => x.toLowerCase())) : undefined;
  const mine = [
    ...log.filter((x) => req.userId !== undefined && x.userId === req.userId),
    ...(req.history ?? []).map((h) => ({
      itemId: h.itemId,
      kind: h.kind ?? 'view',
      timestamp: now,
    })),
    ...(req.cart ?? []).map((id) => ({ itemId: id, kind: 'cart', timestamp: now })),
  ].filter((x) => known.has(x.itemId));
  const lastBuy = new Map<string, number>();
  for (const x of mine) {
    if (x.kind === 'purchase')
      lastBuy.set(x.itemId, Math.max(lastBuy.get(x.itemId) ?? -Infinity, x.timestamp));
  }
  const touched = new Set(mine.map((x) => x.itemId));
  const wantCats = lower([...(req.categories ?? []), ...(req.category ? [req.category] : [])]);
  const dropCats = lower(req.excludeCategories) ?? new Set();
  const wantBrands = lower(req.brands);
  const dropBrands = lower(req.excludeBrands) ?? new Set();
  const out = new Set<string>();
  for (const c of catalog) {
    const cats = (c.categories ?? []).map((x) => x.toLowerCase());
    const outOfStock = c.inStock === false || (c.stock !== undefined && c.stock <= 0);
    if (outOfStock && !req.includeOutOfStock) continue;
    if (req.exclude?.includes(c.id) || req.cart?.includes(c.id) || req.itemId === c.id) continue;
    if (req.excludeSeen && touched.has(c.id)) continue;
    const bought = lastBuy.get(c.id);
    if ((req.excludePurchased ?? true) && bought !== undefined) {
      const replenishable =
        c.attributes?.replenishable === true ||
        (c.tags ?? []).some((t) => t.toLowerCase() === 'replenishable');
      const days = c.attributes?.replenishAfterDays;
      const delay = replenishable && typeof days === 'number' ? days * DAY : 0;
      if (!replenishable || now - bought < delay) continue;
    }
    if (wantCats && wantCats.size > 0 && !cats.some((x) => wantCats.has(x))) continue;
    if (cats.some((x) => dropCats.has(x))) continue;
    const brand = c.brand?.toLowerCase();
    if (wantBrands && (brand === undefined || !wantBrands.has(brand))) continue;
    if (brand !== undefined && dropBrands.has(brand)) continue;
    if (req.minPrice !== undefined || req.maxPrice !== undefined) {
      if (c.price === undefined) continue;
      if (req.minPrice !== undefined && c.price < req.minPrice) continue;
      if (req.maxPrice !== undefined && c.price > req.maxPrice) continue;
    }
    out.add(c.id);
  }
  return out;
}

describe('rules hold for every strategy (property)', () => {
  it('never returns an excluded or ineligible item, nor fewer than asked when enough are eligible', () => {
    fc.assert(
      fc.property(
        arbCatalog.chain((catalog) =>
          fc.tuple(
            fc.constant(catalog),
            fc.array(arbInteraction(catalog.length), { maxLength: 40 }),
            fc.array(arbRequest(catalog.length), { minLength: 1, maxLength: 4 }),
          ),
        ),
        ([catalog, log, requests]) => {
          const bundle = trainModels(
            [
              { strategy: 'history' },
              { strategy: 'popular' },
              { strategy: 'trending' },
              { strategy: 'bought_together' },
              { strategy: 'viewed_together' },
              { strategy: 'personalized', minSupport: 1, lambda: 1 },
              { strategy: 'similar' },
            ],
            log,
            catalog,
            T0,
          );
          const rec = new Recommender({ catalog, bundle });
          for (const req of requests) {
            const got = rec.recommend(req, T0).items.map((i) => i.itemId);
            const eligible = eligibleIds(catalog, log, req, T0);
            expect(new Set(got).size).toBe(got.length);
            for (const id of got) expect(eligible.has(id), `${id} is not eligible`).toBe(true);
            if (req.fill) expect(got.length).toBe(Math.min(req.limit, eligible.size));
            else expect(got.length).toBeLessThanOrEqual(req.limit);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
