import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../shared/index.js';
import { DAY, T0, basket, item, ix } from '../../test/factories/recommend.js';
import {
  BUNDLE_FORMAT_VERSION,
  bundleFormatOf,
  decodeBundle,
  encodeBundle,
} from './bundle-codec.js';
import { serializeBundle } from './model.js';
import { Recommender } from './recommender.js';
import { trainModels } from './train.js';

const catalog = ['a', 'b', 'c', 'd'].map((id) => item(id, { categories: ['X'] }));
const bundle = trainModels(
  [
    { strategy: 'history' },
    { strategy: 'popular' },
    { strategy: 'bought_together' },
    { strategy: 'personalized', minSupport: 1, lambda: 1 },
    { strategy: 'personalized', name: 'als', algorithm: 'als', minSupport: 1, als: { factors: 2 } },
    { strategy: 'similar' },
  ],
  [
    ...basket('u1', ['a', 'b', 'c'], T0 - 3 * DAY),
    ...basket('u2', ['a', 'b'], T0 - 2 * DAY),
    ...basket('u3', ['c', 'd'], T0 - DAY),
    ix('u4', 'a', T0, 'view'),
  ],
  catalog,
  T0,
);

describe('the stored bundle encoding', () => {
  it('round-trips every model kind, typed arrays and −Infinity included, in its version', () => {
    const bytes = encodeBundle(bundle);
    expect(bundleFormatOf(bytes)).toBe(BUNDLE_FORMAT_VERSION);
    const again = decodeBundle(bytes);
    expect(again).toEqual(bundle);
    const hist = again.models[0]!;
    expect(hist.kind === 'history' && hist.lastCart[0]).toBe(-Infinity);
    // Decoded from a view into a larger buffer at an odd offset, as a driver may hand it.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeBundle(shifted.subarray(3))).toEqual(bundle);
  });

  it('serves the same recommendations from a decoded bundle', () => {
    const a = new Recommender({ catalog, bundle });
    const b = new Recommender({ catalog, bundle: decodeBundle(encodeBundle(bundle)) });
    for (const strategy of ['personalized', 'als', 'popular', 'bought_together', 'similar']) {
      const req = { userId: 'u4', strategy, limit: 4 };
      expect(b.recommend(req, T0)).toEqual(a.recommend(req, T0));
    }
  });

  it('is smaller than the JSON form (raw bytes, not base64)', () => {
    expect(encodeBundle(bundle).length).toBeLessThan(serializeBundle(bundle).length);
  });

  it('refuses another format version, naming both', () => {
    const bytes = Buffer.from(encodeBundle(bundle));
    bytes.writeUInt32LE(BUNDLE_FORMAT_VERSION + 1, 8);
    expect(() => decodeBundle(bytes)).toThrow(
      `format version ${BUNDLE_FORMAT_VERSION + 1}; this build reads ${BUNDLE_FORMAT_VERSION}`,
    );
  });

  it('answers damaged bytes with a ValidationError, never another exception or a half bundle', () => {
    const good = encodeBundle(bundle);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat(good.length),
        (flips, cut) => {
          const bytes = Buffer.from(good.subarray(0, Math.max(cut, 1)));
          for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
          try {
            const decoded = decodeBundle(bytes);
            // Flipped bytes inside the numbers still make a well-formed bundle.
            expect(decoded.models).toHaveLength(bundle.models.length);
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
