import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchElementSources } from './raw-elements.js';

describe('batchElementSources', () => {
  it('returns the exact text of each batch element', () => {
    const text =
      '{"sentAt":"x", "batch" : [ {"a":1} , "s,]\\"" ,12345678901234567890,[1,[2]],null ] }';
    expect(batchElementSources(text)).toEqual([
      '{"a":1}',
      '"s,]\\""',
      '12345678901234567890',
      '[1,[2]]',
      'null',
    ]);
  });

  it('finds the batch key when it is escaped or comes after nested values', () => {
    const text = '{"context":{"batch":[9]},"\\u0062atch":[{"x":"}"}]}';
    expect(batchElementSources(text)).toEqual(['{"x":"}"}']);
  });

  it('keeps the last batch key, as JSON.parse does', () => {
    expect(batchElementSources('{"batch":[1],"batch":[2,3]}')).toEqual(['2', '3']);
  });

  it('returns null when the text is not an object with a batch array', () => {
    expect(batchElementSources('[1,2]')).toBeNull();
    expect(batchElementSources('{"batch":{"a":1}}')).toBeNull();
    expect(batchElementSources('{"other":1}')).toBeNull();
  });

  it('agrees with JSON.parse on arbitrary batches (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
        fc.constantFrom(undefined, 2, '\t'),
        (batch, extra, indent) => {
          const body = { ...extra, batch };
          const text = JSON.stringify(body, null, indent);
          const parsed = JSON.parse(text) as { batch: unknown[] };
          const sources = batchElementSources(text);
          expect(sources).not.toBeNull();
          expect(sources!.map((s) => JSON.parse(s) as unknown)).toEqual(parsed.batch);
        },
      ),
      { numRuns: 300 },
    );
  });
});
