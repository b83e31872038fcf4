import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  localDateString,
  resolveTimeZone,
  Zone,
  type Disambiguation,
} from './time-zone.js';
import { canonicalTimeZone, localHour, utcOffsetMinutes, zoneNamed } from './zone-cache.js';

// Facts used below (IANA tzdb): in 2026 Paris springs forward on Sunday 29 March at
// 02:00 CET (01:00 UTC) and falls back on Sunday 25 October at 03:00 CEST (01:00 UTC);
// New York springs forward on Sunday 8 March at 02:00 EST (07:00 UTC) and falls back on
// Sunday 1 November at 02:00 EDT (06:00 UTC).
const iso = (t: number) => new Date(t).toISOString();
const utc = (...a: [number, number, number, number?, number?]) =>
  Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0);

describe('Zone', () => {
  it('knows the offsets either side of a change', () => {
    const paris = new Zone('Europe/Paris');
    expect(paris.offset(utc(2026, 3, 29, 0, 59))).toBe(3_600_000);
    expect(paris.offset(utc(2026, 3, 29, 1, 0))).toBe(7_200_000);
    expect(paris.local(utc(2026, 3, 29, 1, 0))).toMatchObject({ hour: 3, minute: 0, weekday: 0 });
  });

  it('finds wall times across DST, in gaps and overlaps', () => {
    const paris = new Zone('Europe/Paris');
    const at = (month: number, day: number, hour: number, minute: number) =>
      iso(paris.instant({ year: 2026, month, day }, { hour, minute }, 'jump'));
    expect(at(3, 28, 8, 0)).toBe('2026-03-28T07:00:00.000Z'); // CET
    expect(at(3, 29, 8, 0)).toBe('2026-03-29T06:00:00.000Z'); // CEST
    // 02:30 does not exist on 29 March: the first moment past it is the 03:00 jump.
    expect(at(3, 29, 2, 30)).toBe('2026-03-29T01:00:00.000Z');
    // 02:30 happens twice on 25 October: the first, still on summer time.
    expect(at(10, 25, 2, 30)).toBe('2026-10-25T00:30:00.000Z');
    const lordHowe = new Zone('Australia/Lord_Howe'); // a 30-minute shift
    expect(
      iso(lordHowe.instant({ year: 2026, month: 10, day: 4 }, { hour: 2, minute: 15 }, 'jump')),
    ).toBe('2026-10-03T15:30:00.000Z');
  });

  it.each<[string, Disambiguation, string, string]>([
    // zone, disambiguation, skipped 02:30 ->, repeated 01:30 / 02:30 ->
    ['Europe/Paris', 'compatible', '2026-03-29T01:30:00.000Z', '2026-10-25T00:30:00.000Z'],
    ['Europe/Paris', 'later', '2026-03-29T01:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    ['Europe/Paris', 'jump', '2026-03-29T01:00:00.000Z', '2026-10-25T00:30:00.000Z'],
    ['America/New_York', 'compatible', '2026-03-08T07:30:00.000Z', '2026-11-01T05:30:00.000Z'],
    ['America/New_York', 'later', '2026-03-08T07:30:00.000Z', '2026-11-01T06:30:00.000Z'],
    ['America/New_York', 'jump', '2026-03-08T07:00:00.000Z', '2026-11-01T05:30:00.000Z'],
  ])('%s, %s: places skipped and repeated wall times', (tz, how, skipped, repeated) => {
    const zone = new Zone(tz);
    const paris = tz === 'Europe/Paris';
    const spring = { year: 2026, month: 3, day: paris ? 29 : 8 };
    const autumn = paris ? { year: 2026, month: 10, day: 25 } : { year: 2026, month: 11, day: 1 };
    expect(iso(zone.instant(spring, { hour: 2, minute: 30 }, how))).toBe(skipped);
    expect(iso(zone.instant(autumn, { hour: paris ? 2 : 1, minute: 30 }, how))).toBe(repeated);
  });

  it('places seconds, and defaults them to 0', () => {
    const london = new Zone('Europe/London');
    const date = { year: 2011, month: 7, day: 1 };
    expect(iso(london.instant(date, { hour: 9, minute: 15 }))).toBe('2011-07-01T08:15:00.000Z');
    expect(iso(london.instant(date, { hour: 9, minute: 15, second: 42 }))).toBe(
      '2011-07-01T08:15:42.000Z',
    );
  });

  it('reads back the wall time of any instant, on the side each disambiguation picks (property)', () => {
    const zones = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2025, 0, 1) / 1000, max: Date.UTC(2028, 0, 1) / 1000 }),
        fc.constantFrom(...zones),
        (seconds, tz) => {
          const zone = new Zone(tz);
          const t = seconds * 1000;
          const local = zone.local(t);
          const earlier = zone.instant(local, local, 'compatible');
          const later = zone.instant(local, local, 'later');
          expect(zone.local(earlier)).toEqual(local);
          expect(zone.local(later)).toEqual(local);
          expect(zone.instant(local, local, 'jump')).toBe(earlier);
          expect(earlier <= t && t <= later).toBe(true);
          expect(later - earlier).toBeLessThanOrEqual(3_600_000);
        },
      ),
    );
  });

  it('counts seconds since local midnight', () => {
    expect(new Zone('Europe/Paris').secondOfDay(utc(2026, 7, 1, 22, 30))).toBe(30 * 60);
  });
});

describe('resolveTimeZone', () => {
  it('falls back to UTC for an unknown zone', () => {
    expect(resolveTimeZone('Mars/Olympus', null, 'Europe/Paris')).toBe('Europe/Paris');
    expect(resolveTimeZone(undefined, 'nope')).toBe('UTC');
  });
});

describe('zones by name', () => {
  it('shares one Zone per name, and none for a name Intl does not know', () => {
    expect(zoneNamed('Europe/Paris')).toBe(zoneNamed('Europe/Paris'));
    expect(zoneNamed('Mars/Olympus')).toBeNull();
    expect(zoneNamed('')).toBeNull();
    expect(zoneNamed(`Europe/${'x'.repeat(64)}`)).toBeNull();
  });

  it('gives the canonical name, local hour and offset in minutes', () => {
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(localHour(utc(2026, 1, 15, 23, 30), 'Europe/Paris')).toBe(0);
    expect(localHour(utc(2026, 1, 15, 23, 30), 'Mars/Olympus')).toBeNull();
    expect(utcOffsetMinutes(utc(2026, 1, 15), 'Europe/Paris')).toBe(60);
    expect(utcOffsetMinutes(utc(2026, 7, 15), 'Asia/Kathmandu')).toBe(345);
    expect(utcOffsetMinutes(utc(2026, 7, 15), 'America/St_Johns')).toBe(-150);
    expect(utcOffsetMinutes(utc(2026, 7, 15), 'Mars/Olympus')).toBeNull();
  });
});

describe('civil dates', () => {
  it('adds days across months and leap years, with the weekday', () => {
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({
      year: 2028,
      month: 2,
      day: 29,
      weekday: 2,
    });
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toMatchObject({ year: 2027, month: 1 });
    expect(addDays({ year: 2026, month: 3, day: 1 }, -1)).toMatchObject({ month: 2, day: 28 });
  });

  it('writes the local date of an instant', () => {
    const la = new Zone('America/Los_Angeles');
    expect(localDateString(la, utc(2020, 3, 1, 2))).toBe('2020-02-29');
  });
});
