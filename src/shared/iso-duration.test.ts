import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkIsoDuration,
  isoDurationMs,
  parseIsoDuration,
  type DurationRules,
} from './iso-duration.js';

const DAY = 86_400_000;
const windowRules: DurationRules = {
  maxMs: 100 * DAY,
  maxText: '100 days (P100D)',
  allowZero: false,
};
const waitRules: DurationRules = { ...windowRules, allowZero: true };

describe('parseIsoDuration', () => {
  it.each([
    ['P1W', 7 * DAY],
    ['P1DT12H', 36 * 3_600_000],
    ['PT90M', 90 * 60_000],
    ['PT1.5S', 1500],
    ['PT1,25S', 1250],
    ['PT0.005S', 5],
    ['P0000001D', DAY],
    ['P100D', 100 * DAY],
  ])('%s is %i ms', (text, ms) => {
    expect(parseIsoDuration(text, windowRules)).toEqual({ kind: 'ok', ms });
  });

  it.each([
    ['', '"" is not an ISO 8601 duration such as PT24H, P7D or P1DT12H'],
    ['P', '"P" is not an ISO 8601 duration'],
    ['P1DT', '"P1DT" is not an ISO 8601 duration'],
    ['PT1.2345S', '"PT1.2345S" is not an ISO 8601 duration'],
    ['p7d', '"p7d" is not an ISO 8601 duration'],
    [7, '7 is not an ISO 8601 duration'],
    [null, 'null is not an ISO 8601 duration'],
    ['P1M', '"P1M": months and years have no fixed length; write days or weeks instead'],
    ['P1Y2D', '"P1Y2D": months and years have no fixed length'],
    ['P0D', '"P0D" must be longer than zero'],
    ['P101D', '"P101D" is longer than the maximum of 100 days (P100D)'],
    [`P${'9'.repeat(60)}D`, 'is longer than the maximum of 100 days (P100D)'],
    [`P${'1'.repeat(70)}D`, `"P${'1'.repeat(39)}…" is not an ISO 8601 duration`],
  ])('refuses %j: %s', (text, problem) => {
    expect(parseIsoDuration(text, windowRules)).toEqual({
      kind: 'invalid',
      problem: expect.stringContaining(problem),
    });
  });

  it('takes zero when the rules allow it', () => {
    expect(parseIsoDuration('PT0S', waitRules)).toEqual({ kind: 'ok', ms: 0 });
  });

  it('adds the units exactly, for any combination (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(13),
        fc.nat(99),
        fc.nat(99),
        fc.nat(99),
        fc.nat(99),
        fc.option(fc.nat(999)),
        (w, d, h, m, s, frac) => {
          const ms =
            ((((w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * 1000 + (frac === null ? 0 : frac);
          const text = `P${w}W${d}DT${h}H${m}M${s}${frac === null ? '' : `.${String(frac).padStart(3, '0')}`}S`;
          expect(parseIsoDuration(text, { ...waitRules, maxMs: Number.MAX_SAFE_INTEGER })).toEqual({
            kind: 'ok',
            ms,
          });
        },
      ),
    );
  });
});

describe('isoDurationMs and checkIsoDuration', () => {
  it('gives the milliseconds of a valid duration and throws on anything else', () => {
    expect(isoDurationMs('PT3S', windowRules)).toBe(3000);
    expect(() => isoDurationMs('P1M', windowRules)).toThrow(/months and years/);
  });

  it('puts the problem in a zod issue', () => {
    const Duration = z.string().superRefine(checkIsoDuration(windowRules));
    expect(Duration.safeParse('P7D').success).toBe(true);
    expect(Duration.safeParse('7 days').error?.issues[0]?.message).toBe(
      '"7 days" is not an ISO 8601 duration such as PT24H, P7D or P1DT12H (weeks, days, hours, minutes and seconds)',
    );
  });
});
