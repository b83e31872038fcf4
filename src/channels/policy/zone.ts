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
 * The first valid zone among the candidates (the person's, the workspace's), else
 * `UTC`: a junk `timezone` trait must not stop a message.
 */
export function resolveTimeZone(...candidates: (string | null | undefined)[]): string {
  for (const tz of candidates) if (tz && isValidTimeZone(tz)) return tz;
  return 'UTC';
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * Wall-clock arithmetic in one IANA zone, DST-safe: local times are read with Intl and
 * instants are found from the local calendar, never by adding hours to an instant. Build
 * one per call and reuse it in loops (an Intl.DateTimeFormat is costly to create).
 */
export class Zone {
  private readonly format: Intl.DateTimeFormat;

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

  /** The local date and time at instant `t` (epoch ms). */
  wall(t: number): WallTime {
    const out: Record<string, number> = {};
    for (const p of this.format.formatToParts(new Date(t))) {
      if (p.type !== 'literal') out[p.type] = Number(p.value);
    }
    return {
      year: out.year!,
      month: out.month!,
      day: out.day!,
      hour: out.hour!,
      minute: out.minute!,
      second: out.second!,
    };
  }

  /** Local time minus UTC at instant `t`, in ms (Paris in summer: +7,200,000). */
  offset(t: number): number {
    const whole = Math.floor(t / 1000) * 1000;
    const w = this.wall(whole);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole;
  }

  /** Seconds since local midnight at instant `t`. */
  secondOfDay(t: number): number {
    const w = this.wall(t);
    return w.hour * 3600 + w.minute * 60 + w.second;
  }

  /**
   * The earliest instant at which the local clock shows `hour:minute` on that date or
   * later. A time that happens twice (the repeated hour when clocks go back) gives the
   * first; a time that never happens (skipped when clocks go forward) gives the instant
   * of the jump, the first moment past it.
   */
  atOrAfter(year: number, month: number, day: number, hour: number, minute: number): number {
    const w = Date.UTC(year, month - 1, day, hour, minute);
    // Offsets stay within ±14 h, so a day either side sees those before and after any
    // transition near this wall time.
    const before = this.offset(w - DAY);
    const after = this.offset(w + DAY);
    let best: number | null = null;
    for (const o of before === after ? [before] : [before, after]) {
      const t = w - o;
      if (this.offset(t) === o && (best === null || t < best)) best = t;
    }
    if (best !== null) return best;
    // In a gap: binary search (whole seconds) for the first instant whose local time is
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

/** Adds days to a civil date (no time zone involved). */
export function addDays(
  date: { year: number; month: number; day: number },
  days: number,
): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
