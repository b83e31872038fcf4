// Wall-clock arithmetic in IANA time zones, DST-safe: local times are read with Intl and
// instants are found from the local calendar, never by adding hours to an instant. Results
// follow the tz database of the running Node (a tzdata update can move a local hour).

const DAY = 86_400_000;

/** Whether Intl knows this IANA time zone (`Europe/Paris`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The first valid zone among the candidates (the person's, the journey's or workspace's),
 * else `UTC`: a junk `timezone` trait must not stop a message or a journey.
 *
 * @example resolveTimeZone('Mars/Olympus', null, 'Europe/Paris') // 'Europe/Paris'
 */
export function resolveTimeZone(...candidates: (string | null | undefined)[]): string {
  for (const tz of candidates) if (tz && isValidTimeZone(tz)) return tz;
  return 'UTC';
}

/** A civil date: month 1-12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** A calendar date and wall-clock time in some zone; month 1-12, weekday 0 = Sunday. */
export interface LocalDateTime extends CivilDate {
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** A time of day on a 24-hour clock; seconds default to 0. */
export interface TimeOfDay {
  hour: number;
  minute: number;
  second?: number;
}

/**
 * Where a wall-clock time goes when the clocks skip it (spring forward) or show it twice
 * (fall back). The first two are Temporal's disambiguations of the same names.
 * - `compatible`: a skipped time moves later by the gap (02:30 becomes 03:30); a repeated
 *   time takes the earlier instant.
 * - `later`: a skipped time moves later by the gap; a repeated time takes the later instant.
 * - `jump`: a skipped time becomes the instant of the jump (the first moment past it); a
 *   repeated time takes the earlier instant. For "the earliest instant the clock reads
 *   this time or later", as quiet hours and send times need.
 */
export type Disambiguation = 'compatible' | 'later' | 'jump';

/**
 * One IANA zone. Build one per call and reuse it in loops (an Intl.DateTimeFormat costs
 * 20-50 µs to create, ~1 µs to use), or take a shared one from `zoneNamed`. Throws a
 * RangeError for a zone Intl does not know: resolve untrusted names first.
 */
export class Zone {
  private readonly format: Intl.DateTimeFormat;
  /** Built on first use: reading just the hour with `format` is several times cheaper. */
  private hourFormat: Intl.DateTimeFormat | undefined;

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Kept: `resolvedOptions()` builds a fresh object (~3 µs), and the profile fold asks per event. */
  private canonical: string | undefined;

  /** The canonical IANA name ("europe/paris" → "Europe/Paris"). */
  get canonicalName(): string {
    return (this.canonical ??= this.format.resolvedOptions().timeZone);
  }

  /** The local date and time at instant `t` (epoch ms). */
  local(t: number): LocalDateTime {
    const out: Record<string, number> = {};
    for (const p of this.format.formatToParts(new Date(t))) {
      if (p.type !== 'literal') out[p.type] = Number(p.value);
    }
    const year = out.year!;
    const month = out.month!;
    const day = out.day!;
    return {
      year,
      month,
      day,
      hour: out.hour!,
      minute: out.minute!,
      second: out.second!,
      weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    };
  }

  /** The local hour (0-23) at instant `t`. */
  hour(t: number): number {
    this.hourFormat ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone,
      hour: 'numeric',
      hourCycle: 'h23',
    });
    return Number(this.hourFormat.format(t));
  }

  /** Seconds since local midnight at instant `t`. */
  secondOfDay(t: number): number {
    const l = this.local(t);
    return l.hour * 3600 + l.minute * 60 + l.second;
  }

  /** Local time minus UTC at instant `t`, in ms (Paris in summer: +7,200,000). */
  offset(t: number): number {
    const whole = Math.floor(t / 1000) * 1000;
    const l = this.local(whole);
    return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - whole;
  }

  /**
   * The instant the local clock shows `time` on `date`; see `Disambiguation` for the
   * times a DST change skips or repeats. Out-of-range fields roll over as in `Date.UTC`.
   * Only the date's year, month and day are read, so a `LocalDateTime` serves as a date.
   *
   * @example new Zone('Europe/Paris').instant({ year: 2026, month: 3, day: 29 }, { hour: 2, minute: 30 })
   *   // 2026-03-29T01:30:00Z: 02:30 was skipped, it happens as 03:30 CEST
   */
  instant(date: CivilDate, time: TimeOfDay, disambiguation: Disambiguation = 'compatible'): number {
    const { hour, minute, second = 0 } = time;
    const w = Date.UTC(date.year, date.month - 1, date.day, hour, minute, second);
    // Offsets stay within ±14 h, so a day either side sees those in force before and
    // after any transition near this wall time.
    const before = this.offset(w - DAY);
    const after = this.offset(w + DAY);
    let earliest: number | null = null;
    let latest: number | null = null;
    for (const o of before === after ? [before] : [before, after]) {
      const t = w - o;
      if (this.offset(t) !== o) continue;
      if (earliest === null || t < earliest) earliest = t;
      if (latest === null || t > latest) latest = t;
    }
    if (earliest !== null) return disambiguation === 'later' ? latest! : earliest;
    // In a gap. Moving later by the gap is reading the wall time with the offset before it.
    if (disambiguation !== 'jump') return w - before;
    // The jump: binary search (whole seconds) for the first instant whose local time is
    // past the wall time, i.e. the transition.
    let lo = Math.min(w - before, w - after);
    let hi = Math.max(w - before, w - after);
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (mid + this.offset(mid) >= w) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}

/** Adds days to a civil date (no time zone involved); weekday 0 = Sunday. */
export function addDays(date: CivilDate, days: number): CivilDate & { weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
  };
}

/** The local date `YYYY-MM-DD` of instant `t` in `zone`. */
export function localDateString(zone: Zone, t: number): string {
  const l = zone.local(t);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}
