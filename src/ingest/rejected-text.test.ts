import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { truncateRaw } from './rejected-text.js';

describe('truncateRaw', () => {
  it('keeps text within the limit as it is', () => {
    expect(truncateRaw('{"a":1}', 7)).toEqual({ raw: '{"a":1}', truncated: false });
    expect(truncateRaw('é'.repeat(100), 200)).toEqual({ raw: 'é'.repeat(100), truncated: false });
  });

  it('cuts at the byte limit and says how much was kept', () => {
    expect(truncateRaw('x'.repeat(40_000), 8192)).toEqual({
      raw: `${'x'.repeat(8192)}…[truncated: 8192 of 40000 bytes kept]`,
      truncated: true,
    });
  });

  it('never cuts inside a character', () => {
    expect(truncateRaw('{"event":"ééé"}', 12).raw).toBe(
      '{"event":"é…[truncated: 12 of 18 bytes kept]',
    );
    expect(truncateRaw('{"event":"ééé"}', 13).raw).toBe(
      '{"event":"é…[truncated: 12 of 18 bytes kept]',
    );
  });

  it('keeps a prefix of whole characters within the budget (property)', () => {
    fc.assert(
      // Request bodies are decoded UTF-8: whole characters, no lone surrogates.
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.nat(400), (text, max) => {
        const { raw, truncated } = truncateRaw(text, max);
        const size = Buffer.byteLength(text, 'utf8');
        expect(truncated).toBe(size > max);
        if (!truncated) {
          expect(raw).toBe(text);
          return;
        }
        const kept = raw.slice(0, raw.lastIndexOf('…[truncated: '));
        expect(Buffer.byteLength(kept, 'utf8')).toBeLessThanOrEqual(max);
        expect(text.startsWith(kept)).toBe(true);
        expect(raw.endsWith(` of ${size} bytes kept]`)).toBe(true);
      }),
    );
  });
});
