import { Zone } from './time-zone.js';

// Zones by name for hot paths that see many names (a profile fold reads each event's
// zone): building a Zone costs 20-50 µs, using one ~1 µs. The memo is bounded, holds
// immutable formatters and never changes a result, so callers stay pure in every
// observable sense.
const MAX_ZONES = 1024;
const zones = new Map<string, Zone | null>();

/** The shared Zone for `tz`, or null when it is empty, over 64 characters or unknown. */
export function zoneNamed(tz: string): Zone | null {
  const cached = zones.get(tz);
  if (cached !== undefined) return cached;
  let found: Zone | null = null;
  if (tz.length > 0 && tz.length <= 64) {
    try {
      found = new Zone(tz);
    } catch {
      found = null; // not an IANA zone this runtime knows
    }
  }
  if (zones.size >= MAX_ZONES) zones.clear();
  zones.set(tz, found);
  return found;
}

/** The canonical IANA name of `tz` ("europe/paris" → "Europe/Paris"), or null if unknown. */
export const canonicalTimeZone = (tz: string): string | null =>
  zoneNamed(tz)?.canonicalName ?? null;

/** The hour of the day (0-23) at `t` in zone `tz`, or null for an unknown zone. */
export function localHour(t: number, tz: string): number | null {
  const zone = zoneNamed(tz);
  if (!zone) return null;
  const h = zone.hour(t);
  return Number.isInteger(h) && h >= 0 && h < 24 ? h : null;
}

/**
 * The zone's offset from UTC at `t`, in whole minutes (+60 for Paris in winter), or null
 * for an unknown zone. Offsets have been whole minutes since 1972; older local mean times
 * round to the nearest minute.
 */
export function utcOffsetMinutes(t: number, tz: string): number | null {
  const zone = zoneNamed(tz);
  if (!zone) return null;
  const offset = Math.round(zone.offset(t) / 60_000);
  return Number.isFinite(offset) ? offset : null;
}
