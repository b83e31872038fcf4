/**
 * Local time in IANA zones. Building an Intl.DateTimeFormat costs ~20-50 µs, formatting
 * with one ~1 µs, so formatters are memoized per zone name. The memo is the one piece of
 * module state in the core: it holds immutable formatters, is bounded, and never changes a
 * result, so the functions stay pure in every observable sense. (Results follow the tz
 * database of the running Node; a tzdata update can move an hour bucket on rebuild.)
 */
interface Zone {
  name: string;
  hour: Intl.DateTimeFormat;
  parts: Intl.DateTimeFormat;
}

const MAX_ZONES = 1024;
const zones = new Map<string, Zone | null>();

function zone(tz: string): Zone | null {
  const cached = zones.get(tz);
  if (cached !== undefined) return cached;
  let found: Zone | null = null;
  if (tz.length > 0 && tz.length <= 64) {
    try {
      const hour = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hour: 'numeric',
        hourCycle: 'h23',
      });
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
      found = { name: hour.resolvedOptions().timeZone, hour, parts };
    } catch {
      found = null; // not an IANA zone this runtime knows
    }
  }
  if (zones.size >= MAX_ZONES) zones.clear();
  zones.set(tz, found);
  return found;
}

/** The canonical IANA name of `tz` ("europe/paris" → "Europe/Paris"), or null if unknown. */
export const canonicalZone = (tz: string): string | null => zone(tz)?.name ?? null;

/** The hour of the day (0-23) at `t` in zone `tz`, or null for an unknown zone. */
export function localHour(t: number, tz: string): number | null {
  const z = zone(tz);
  if (!z) return null;
  const h = Number(z.hour.format(t));
  return Number.isInteger(h) && h >= 0 && h < 24 ? h : null;
}

/** The zone's offset from UTC at `t`, in minutes (e.g. +60 for Paris in winter). */
export function utcOffsetMinutes(t: number, tz: string): number | null {
  const z = zone(tz);
  if (!z) return null;
  const p: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const { type, value } of z.parts.formatToParts(t)) p[type] = Number(value);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute);
  const offset = Math.round((asUtc - Math.floor(t / 60_000) * 60_000) / 60_000);
  return Number.isFinite(offset) ? offset : null;
}
