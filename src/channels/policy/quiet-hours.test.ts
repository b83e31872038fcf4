import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QuietHours } from './quiet-hours.js';
import {
  QuietHours as QuietHoursSchema,
  applyQuietHours,
  isQuietAt,
  nextAllowedAt,
} from './quiet-hours.js';
import { Zone } from '../../shared/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (t: number) => new Date(t).toISOString();

describe('quiet hours', () => {
  const night: QuietHours = { start: '21:00', end: '08:00' };

  it.each([
    [
      'before quiet hours, sent now',
      'Europe/Paris',
      '2026-03-28T19:00:00Z',
      night,
      '2026-03-28T19:00:00.000Z',
    ],
    [
      'deferred over the spring-forward night to 08:00 CEST',
      'Europe/Paris',
      '2026-03-28T22:00:00Z',
      night,
      '2026-03-29T06:00:00.000Z',
    ],
    [
      'a minute before the end',
      'Europe/Paris',
      '2026-03-29T05:59:00Z',
      night,
      '2026-03-29T06:00:00.000Z',
    ],
    [
      'deferred over the fall-back night to 08:00 CET',
      'Europe/Paris',
      '2026-10-24T20:00:00Z',
      night,
      '2026-10-25T07:00:00.000Z',
    ],
    [
      'an end skipped by the clocks ends at the jump',
      'Europe/Paris',
      '2026-03-28T22:30:00Z',
      { start: '22:00', end: '02:30' },
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'New York spring forward',
      'America/New_York',
      '2026-03-08T04:00:00Z',
      night,
      '2026-03-08T12:00:00.000Z',
    ],
    [
      'New York fall back',
      'America/New_York',
      '2026-11-01T04:00:00Z',
      night,
      '2026-11-01T13:00:00.000Z',
    ],
    [
      'a daytime window',
      'Asia/Kolkata',
      '2026-06-01T07:00:00Z',
      { start: '12:00', end: '14:00' },
      '2026-06-01T08:30:00.000Z',
    ],
    ['the start itself is quiet', 'UTC', '2026-06-01T21:00:00Z', night, '2026-06-02T08:00:00.000Z'],
    ['the end itself is not', 'UTC', '2026-06-02T08:00:00Z', night, '2026-06-02T08:00:00.000Z'],
  ])('%s', (_name, zone, at, quiet, expected) => {
    expect(iso(nextAllowedAt(Date.parse(at), quiet, zone))).toBe(expected);
  });

  it('ends at the first 01:30 when the clocks repeat it, and is quiet again in the repeat', () => {
    const quiet = { start: '22:00', end: '01:30' };
    const at = nextAllowedAt(Date.parse('2026-11-01T03:00:00Z'), quiet, 'America/New_York');
    expect(iso(at)).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    // At 06:00Z it is 01:00 EST: inside 22:00–01:30 again, on the wall clock.
    expect(isQuietAt(Date.parse('2026-11-01T06:10:00Z'), quiet, 'America/New_York')).toBe(true);
  });

  it('defers or drops', () => {
    const t = Date.parse('2026-03-28T22:00:00Z');
    expect(applyQuietHours(t, night, 'Europe/Paris', 'defer')).toEqual({
      kind: 'defer',
      at: Date.parse('2026-03-29T06:00:00Z'),
    });
    expect(applyQuietHours(t, night, 'Europe/Paris', 'drop')).toEqual({
      kind: 'drop',
      until: Date.parse('2026-03-29T06:00:00Z'),
    });
    expect(applyQuietHours(t, undefined, 'Europe/Paris', 'drop')).toEqual({ kind: 'send', at: t });
    expect(applyQuietHours(t - 3 * HOUR, night, 'Europe/Paris', 'drop')).toEqual({
      kind: 'send',
      at: t - 3 * HOUR,
    });
  });

  it('validates its definition', () => {
    expect(
      QuietHoursSchema.safeParse({ start: '21:00', end: '21:00' }).error?.issues[0]?.message,
    ).toBe('start and end must differ');
    expect(
      QuietHoursSchema.safeParse({ start: '9:00', end: '21:00' }).error?.issues[0]?.path,
    ).toEqual(['start']);
  });

  it('over three weeks across the spring change, defers exactly to 08:00 local', () => {
    const zone = new Zone('Europe/Paris');
    let deferred = 0;
    // From 08:00 CET on 20 March to 08:00 CEST on 10 April: 21 whole nights.
    for (
      let t = Date.parse('2026-03-20T07:00:00Z');
      t < Date.parse('2026-04-10T06:00:00Z');
      t += 15 * MIN
    ) {
      const at = nextAllowedAt(t, night, 'Europe/Paris');
      const wall = zone.local(at);
      if (at === t) {
        expect(wall.hour >= 8 && wall.hour < 21).toBe(true);
      } else {
        deferred++;
        expect([wall.hour, wall.minute, wall.second]).toEqual([8, 0, 0]);
        expect(at - t).toBeLessThanOrEqual(11 * HOUR);
      }
    }
    // 11 quiet hours a night, 4 quarter-hours each, 21 nights, less the hour skipped on
    // the night of 28-29 March (4 quarter-hours that do not exist).
    expect(deferred).toBe(11 * 4 * 21 - 4);
  });

  it('gives the first allowed minute at or after any instant, in any zone (property)', () => {
    const zones = [
      'Europe/Paris',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Australia/Sydney',
      'UTC',
    ];
    const hhmm = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 0, max: 95 }),
        fc.integer({ min: 0, max: 95 }),
        fc.constantFrom(...zones),
        (t, s, e, zone) => {
          fc.pre(s !== e);
          const quiet = { start: hhmm(s * 15), end: hhmm(e * 15) };
          const at = nextAllowedAt(t, quiet, zone);
          expect(at).toBeGreaterThanOrEqual(t);
          expect(isQuietAt(at, quiet, zone)).toBe(false);
          // Every whole minute between t and the answer is quiet.
          for (let m = Math.ceil(t / MIN) * MIN; m < at; m += MIN) {
            expect(isQuietAt(m, quiet, zone)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
