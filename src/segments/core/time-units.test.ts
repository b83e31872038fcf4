import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anniversaryChangesAt, isAnniversaryWithin } from './anniversary.js';
import { parseIsoDate, toEpochMs } from './dates.js';
import { parseDuration } from './duration.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('parseDuration', () => {
  it.each([
    ['P7D', 7 * DAY],
    ['PT24H', DAY],
    ['PT3S', 3000],
    ['PT0.5S', 500],
    ['PT1.25S', 1250],
    ['P2W', 14 * DAY],
    ['P1DT12H', 36 * HOUR],
    ['PT90M', 90 * 60_000],
    ['P36525D', 36_525 * DAY],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ kind: 'ok', ms });
  });

  it.each([
    ['P1M', 'months and years'],
    ['P1Y', 'months and years'],
    ['P1Y2D', 'months and years'],
    ['P', 'ISO 8601 duration'],
    ['PT', 'ISO 8601 duration'],
    ['P1DT', 'ISO 8601 duration'],
    ['7d', 'ISO 8601 duration'],
    ['p7d', 'ISO 8601 duration'],
    ['P-1D', 'ISO 8601 duration'],
    ['P0D', 'longer than zero'],
    ['P36526D', 'longer than the maximum of 100 years (P36525D)'],
    [7, 'ISO 8601 duration'],
    [null, 'ISO 8601 duration'],
  ])('%j is refused (%s)', (text, problem) => {
    expect(parseDuration(text)).toEqual({
      kind: 'invalid',
      problem: expect.stringContaining(problem),
    });
  });
});

describe('dates', () => {
  it.each([
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['2024-05-01T09:30:00Z', Date.UTC(2024, 4, 1, 9, 30)],
    ['2024-05-01T09:30Z', Date.UTC(2024, 4, 1, 9, 30)],
    ['2024-05-01T11:30:00.250+02:00', Date.UTC(2024, 4, 1, 9, 30, 0, 250)],
    ['2024-05-01T04:30:00-0500', Date.UTC(2024, 4, 1, 9, 30)],
    ['2024-05-01T09:30:00.123456Z', Date.UTC(2024, 4, 1, 9, 30, 0, 123)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
  ])('%s is read as UTC epoch ms', (text, ms) => {
    expect(parseIsoDate(text, true)).toBe(ms);
  });

  it('reads years before 100 in the proleptic Gregorian calendar', () => {
    const expected = new Date(0);
    expected.setUTCFullYear(50, 5, 1);
    expected.setUTCHours(0, 0, 0, 0);
    expect(parseIsoDate('0050-06-01', true)).toBe(expected.getTime());
  });

  it.each([
    '2023-02-29',
    '2024-13-01',
    '2024-04-31',
    '2024-05-01T24:00:00Z',
    '2024-05-01T09:60:00Z',
    '2024-05-01T09:30:00+25:00',
    '1 May 2024',
    '2024-5-1',
    '',
  ])('%j is not a date', (text) => {
    expect(parseIsoDate(text, false)).toBeUndefined();
  });

  it('requires a zone on a date-time in a definition, and reads data without one as UTC', () => {
    expect(parseIsoDate('2024-05-01T09:30:00', true)).toBeUndefined();
    expect(parseIsoDate('2024-05-01T09:30:00', false)).toBe(Date.UTC(2024, 4, 1, 9, 30));
  });

  it('reads data dates as numbers (epoch ms), ISO strings or Dates, and nothing else', () => {
    expect(toEpochMs(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(toEpochMs(new Date(5))).toBe(5);
    expect(toEpochMs('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
    for (const junk of [NaN, Infinity, 9e15, '', 'soon', true, null, undefined, {}, [2024]]) {
      expect(toEpochMs(junk)).toBeUndefined();
    }
  });
});

describe('anniversaries', () => {
  const at = (y: number, m: number, d: number, h = 12) => Date.UTC(y, m - 1, d, h);

  it('moves Feb 29 to Feb 28 in years without one', () => {
    const birthday = Date.UTC(2000, 1, 29);
    expect(isAnniversaryWithin(birthday, 0, at(2027, 2, 28))).toBe(true);
    expect(isAnniversaryWithin(birthday, 0, at(2027, 3, 1))).toBe(false);
    expect(isAnniversaryWithin(birthday, 0, at(2028, 2, 28))).toBe(false);
    expect(isAnniversaryWithin(birthday, 0, at(2028, 2, 29))).toBe(true);
    expect(isAnniversaryWithin(birthday, 1, at(2028, 2, 28))).toBe(true);
  });

  it('counts only years after the date itself', () => {
    const signup = Date.UTC(2026, 2, 20);
    expect(isAnniversaryWithin(signup, 7, at(2026, 3, 15))).toBe(false);
    expect(isAnniversaryWithin(signup, 7, at(2027, 3, 15))).toBe(true);
  });

  it('crosses the new year', () => {
    const birthday = Date.UTC(1990, 0, 3);
    expect(isAnniversaryWithin(birthday, 7, at(2026, 12, 28))).toBe(true);
    expect(isAnniversaryWithin(birthday, 7, at(2026, 12, 26))).toBe(false);
  });

  it('tells when the window opens and closes', () => {
    const birthday = Date.UTC(1990, 2, 20);
    // 7 days before 20 March 2026 is 13 March, 00:00 UTC; the window closes at the end of the 20th.
    expect(anniversaryChangesAt(birthday, 7, at(2026, 3, 10))).toBe(Date.UTC(2026, 2, 13));
    expect(anniversaryChangesAt(birthday, 7, at(2026, 3, 15))).toBe(Date.UTC(2026, 2, 21));
    expect(anniversaryChangesAt(birthday, 7, at(2026, 3, 21))).toBe(Date.UTC(2027, 2, 13));
  });

  it('stays true for good with a window of a whole year', () => {
    const birthday = Date.UTC(1990, 5, 1);
    expect(isAnniversaryWithin(birthday, 365, at(2026, 1, 1))).toBe(true);
    expect(anniversaryChangesAt(birthday, 365, at(2026, 1, 1))).toBeNull();
  });

  it('agrees with a day-by-day scan', () => {
    // The value is constant within a UTC day, so scanning day starts finds the true
    // next change; compare with the interval arithmetic.
    const scan = (date: number, days: number, now: number): number | null => {
      const initial = isAnniversaryWithin(date, days, now);
      for (let t = Math.floor(now / DAY) * DAY + DAY; t < now + 12 * 366 * DAY; t += DAY) {
        if (isAnniversaryWithin(date, days, t) !== initial) return t;
      }
      return null;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.constantFrom(0, 1, 7, 30, 180, 363, 364, 365),
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (date, days, now) => {
          expect(anniversaryChangesAt(date, days, now)).toBe(scan(date, days, now));
        },
      ),
      { numRuns: 150 },
    );
  });
});
