import { describe, expect, it } from 'vitest';
import { Zone, resolveTimeZone } from './zone.js';

const iso = (t: number) => new Date(t).toISOString();

describe('Zone', () => {
  it('finds wall times across DST, in gaps and overlaps', () => {
    const paris = new Zone('Europe/Paris');
    expect(iso(paris.atOrAfter(2026, 3, 28, 8, 0))).toBe('2026-03-28T07:00:00.000Z'); // CET
    expect(iso(paris.atOrAfter(2026, 3, 29, 8, 0))).toBe('2026-03-29T06:00:00.000Z'); // CEST
    // 02:30 does not exist on 29 March: the first moment past it is the 03:00 jump.
    expect(iso(paris.atOrAfter(2026, 3, 29, 2, 30))).toBe('2026-03-29T01:00:00.000Z');
    // 02:30 happens twice on 25 October: the first, still on summer time.
    expect(iso(paris.atOrAfter(2026, 10, 25, 2, 30))).toBe('2026-10-25T00:30:00.000Z');
    const lordHowe = new Zone('Australia/Lord_Howe'); // a 30-minute shift
    expect(iso(lordHowe.atOrAfter(2026, 10, 4, 2, 15))).toBe('2026-10-03T15:30:00.000Z');
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(resolveTimeZone('Mars/Olympus', null, 'Europe/Paris')).toBe('Europe/Paris');
    expect(resolveTimeZone(undefined, 'nope')).toBe('UTC');
  });
});
