const formatters = new Map<string, Intl.DateTimeFormat>();

function partsAt(ms: number, tz: string): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
}

/**
 * The instant a wall-clock time in `tz` names. Two fixed-point steps settle the offset,
 * DST included (a time in the spring-forward gap lands just after it).
 */
export function zonedTimeToUtc(wall: number, tz: string): number {
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - (partsAt(guess, tz) - guess);
  return guess;
}

/** Parses `YYYY-MM-DD HH:MM[:SS]` as local time in `tz`; NaN if malformed. */
export function parseLocalDateTime(text: string, tz: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  return zonedTimeToUtc(wall, tz);
}
