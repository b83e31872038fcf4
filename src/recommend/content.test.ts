import { describe, expect, it } from 'vitest';
import type { ContentModel } from './content.js';
import { words } from './content.js';
import { Recommender } from './recommender.js';
import { T0, item } from '../../test/factories/recommend.js';
import { train } from './train.js';

const catalog = [
  item('x', { title: 'Red shoe', categories: ['Shoes'] }),
  item('y', { title: 'Blue shoe', categories: ['Shoes'] }),
  item('z', { title: 'Red hat', categories: ['Hats'] }),
];
// idf = ln((N + 1) / (df + 1)) + 1 with N = 3: terms in two items 1 + ln(4/3), in one 1 + ln 2.
const common = 1 + Math.log(4 / 3);
const rare = 1 + Math.log(2);
// x = (red, shoe, shoes) all common; y = (blue rare, shoe, shoes); z = (red, hat rare, hats rare)
const normX = common * Math.sqrt(3);
const normY = Math.sqrt(rare ** 2 + 2 * common ** 2);
const normZ = Math.sqrt(common ** 2 + 2 * rare ** 2);
const cosXY = (2 * common ** 2) / (normX * normY);
const cosXZ = common ** 2 / (normX * normZ);

describe('similar items (TF-IDF)', () => {
  it('tokenizes titles into lower-case words without stop words', () => {
    expect(words('The RED Shoe, size 42 & a bag')).toEqual(['red', 'shoe', 'size', '42', 'bag']);
  });

  it('ranks neighbours by cosine computed by hand', () => {
    const m = train({ strategy: 'similar', minSimilarity: 0 }, [], catalog, T0) as ContentModel;
    expect(m.idf[m.vocabulary.indexOf('w:blue')]).toBeCloseTo(rare, 12);
    const rec = new Recommender({ catalog, models: [m] });
    const res = rec.recommend({ strategy: 'similar', itemId: 'x', limit: 2, fill: false }, T0);
    expect(res.items.map((i) => [i.itemId, i.score])).toEqual([
      ['y', expect.closeTo(cosXY, 6)],
      ['z', expect.closeTo(cosXZ, 6)],
    ]);
    expect(res.items[0]!.reason).toEqual({
      code: 'similar',
      text: 'Similar to Red shoe',
      itemId: 'x',
    });
  });

  it('finds neighbours for an item added to the catalog after training (cold start)', () => {
    const m = train({ strategy: 'similar', minSimilarity: 0 }, [], catalog, T0);
    const later = [...catalog, item('w', { title: 'Red shoe boot', categories: ['Shoes'] })];
    const rec = new Recommender({ catalog: later, models: [m] });
    // "boot" is not in the model's vocabulary, so w's vector equals x's: cosine 1.
    const res = rec.recommend({ strategy: 'similar', itemId: 'w', limit: 3, fill: false }, T0);
    expect(res.items.map((i) => [i.itemId, i.score])).toEqual([
      ['x', expect.closeTo(1, 6)],
      ['y', expect.closeTo(cosXY, 6)],
      ['z', expect.closeTo(cosXZ, 6)],
    ]);
  });

  it('uses brand, tags and attributes with their field weights', () => {
    const items = [
      item('p', { title: 'Plain', brand: 'Acme', tags: ['eco'], attributes: { color: 'green' } }),
      item('q', { title: 'Other', brand: 'Acme' }),
      item('r', { title: 'Third', tags: ['eco'], attributes: { color: 'green' } }),
    ];
    const m = train(
      { strategy: 'similar', minSimilarity: 0, fieldWeights: { tags: 0, attributes: 0 } },
      [],
      items,
      T0,
    );
    const rec = new Recommender({ catalog: items, models: [m] });
    // With tags and attributes weighted 0, only the brand links p to anything.
    expect(
      rec
        .recommend({ strategy: 'similar', itemId: 'p', limit: 3, fill: false }, T0)
        .items.map((i) => i.itemId),
    ).toEqual(['q']);
  });
});
