import { describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/index.js';
import { deserializeBundle, serializeBundle } from './model.js';
import { Recommender } from './recommender.js';
import type { Interaction } from './schemas.js';
import { DAY, T0, basket, item, ix } from '../../test/factories/recommend.js';
import { trainModels } from './train.js';

const catalog = ['a', 'b', 'c', 'd'].map((id) => item(id, { categories: ['X'] }));
const log: Interaction[] = [
  ...basket('u1', ['a', 'b', 'c'], T0 - 3 * DAY),
  ...basket('u2', ['a', 'b'], T0 - 2 * DAY),
  ...basket('u3', ['c', 'd'], T0 - DAY),
  ix('u4', 'a', T0, 'view'),
];
const bundle = trainModels(
  [
    { strategy: 'history' },
    { strategy: 'popular' },
    { strategy: 'bought_together' },
    { strategy: 'personalized', minSupport: 1, lambda: 1 },
    { strategy: 'personalized', name: 'als', algorithm: 'als', minSupport: 1, als: { factors: 2 } },
    { strategy: 'similar' },
  ],
  log,
  catalog,
  T0,
);

describe('model serialization', () => {
  it('round-trips every model kind, typed arrays and −Infinity included', () => {
    const text = serializeBundle(bundle);
    const again = deserializeBundle(text);
    expect(again).toEqual(bundle);
    expect(JSON.parse(serializeBundle(again))).toEqual(JSON.parse(text));
    const hist = again.models[0]!;
    expect(hist.kind === 'history' && hist.lastCart[0]).toBe(-Infinity);
  });

  it('serves the same recommendations from a restored bundle', () => {
    const a = new Recommender({ catalog, bundle });
    const b = new Recommender({ catalog, bundle: deserializeBundle(serializeBundle(bundle)) });
    for (const strategy of ['personalized', 'als', 'popular', 'bought_together', 'similar']) {
      const req = { userId: 'u4', strategy, limit: 4 };
      expect(b.recommend(req, T0)).toEqual(a.recommend(req, T0));
    }
  });

  it('rejects damaged bundles with the offending path', () => {
    const expectInvalid = (text: string, path: string) => {
      try {
        deserializeBundle(text);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).details.map((d) => d.path)).toContain(path);
      }
    };
    expectInvalid('{not json', '');
    const raw = JSON.parse(serializeBundle(bundle)) as {
      format: string;
      models: Record<string, unknown>[];
    };
    expectInvalid(JSON.stringify({ ...raw, format: 'other' }), 'format');
    // Point a co-occurrence row past the end of its columns.
    const broken = structuredClone(raw);
    const co = broken.models.findIndex((m) => m.kind === 'co_occurrence');
    const model = deserializeBundle(serializeBundle(bundle)).models[co]!;
    if (model.kind !== 'co_occurrence') throw new Error('fixture');
    model.rowPtr[model.rowPtr.length - 1]! += 5;
    const reencoded = JSON.parse(serializeBundle({ ...bundle, models: [model] })) as typeof raw;
    broken.models[co] = reencoded.models[0]!;
    expectInvalid(JSON.stringify(broken), `models.${co}.cols`);
  });
});
