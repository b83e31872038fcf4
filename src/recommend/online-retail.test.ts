import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { heldOutTruth, itemPopularity, recommendAll } from './offline-eval.js';
import { readInteractionsCsv } from './read-interactions.js';
import { Recommender } from './recommender.js';
import { CatalogItem } from './schemas.js';
import { trainModels } from './train.js';

// 400 customers, 150 products, March to June 2011 (see test/fixtures/online-retail/SOURCE.md).
const SLICE = new URL('../../test/fixtures/recs/online-retail-slice.csv', import.meta.url).pathname;
const CUT = Date.UTC(2011, 4, 15);

describe('on a real Online Retail slice', () => {
  it('personalized beats popularity on NDCG@10 and keeps every rule', async () => {
    const all = (await readInteractionsCsv(SLICE, { strict: true })).interactions;
    const train = all.filter((x) => x.timestamp < CUT);
    const test = all.filter((x) => x.timestamp >= CUT);
    const now = CUT - 1;
    const catalog = [...new Set(train.map((x) => x.itemId))].map((id) => CatalogItem.parse({ id }));
    const bundle = trainModels(
      [
        { strategy: 'history' },
        { strategy: 'popular', name: 'popularity', halfLifeDays: null },
        { strategy: 'popular' },
        { strategy: 'personalized', minSupport: 1 },
      ],
      train,
      catalog,
      now,
    );
    const rec = new Recommender({ catalog, bundle });
    const truth = heldOutTruth(train, test);
    const options = {
      k: 20,
      catalog: catalog.map((c) => c.id),
      popularity: itemPopularity(train),
      bootstrap: 0,
    };
    const personal = recommendAll(rec, truth.keys(), 'personalized', 20, now);
    const popular = recommendAll(rec, truth.keys(), 'popularity', 20, now);
    const p = evaluate(personal, truth, options);
    const b = evaluate(popular, truth, options);
    expect(p.users).toBe(145);
    // Measured 0.161 against 0.103 (1.57×); the bar leaves room for harmless changes.
    expect(p.ndcg.value).toBeGreaterThan(1.3 * b.ndcg.value);
    expect(p.coverage).toBeGreaterThan(b.coverage);
    // Nobody is shown what they already had.
    const had = new Map<string, Set<string>>();
    for (const x of train)
      (had.get(x.userId) ?? had.set(x.userId, new Set()).get(x.userId)!).add(x.itemId);
    for (const [user, items] of personal) {
      expect(items).toHaveLength(20);
      for (const id of items) expect(had.get(user)!.has(id)).toBe(false);
    }
  });
});
