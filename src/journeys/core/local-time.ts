import { z } from 'zod';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

/** A local time of day, `HH:MM` on a 24-hour clock. */
export const LocalTimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time of day such as 09:00');

/** Whether Intl knows this IANA time zone (`Europe/Paris`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' });

/** The first valid time zone among the candidates, else `UTC`. */
export function resolveTimeZone(...candidates: (string | null | undefined)[]): string {
  for (const tz of candidates) if (tz && isValidTimeZone(tz)) return tz;
  return 'UTC';
}

/** A calendar date and wall-clock time in some zone; month 1-12, weekday 0 = Sunday. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/**
 * Wall-clock conversions for one zone. Build one per call site and reuse it in loops:
 * an Intl.DateTimeFormat is costly to create, and keeping none at module level keeps the
 * core free of shared state.
 */
export class ZoneClock {
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
      weekday: 'short',
    });
  }

  /** The local date and time at instant `t` (epoch ms). */
  local(t: number): LocalDateTime {
    const out: Record<string, string> = {};
    for (const p of this.format.formatToParts(new Date(t))) out[p.type] = p.value;
    return {
      year: Number(out.year),
      month: Number(out.month),
      day: Number(out.day),
      hour: Number(out.hour),
      minute: Number(out.minute),
      second: Number(out.second),
      weekday: WEEKDAYS.indexOf((out.weekday ?? '').toLowerCase() as Weekday),
    };
  }

  /** Offset of local time from UTC at instant `t`, in ms (Paris in summer: +7,200,000). */
  offset(t: number): number {
    const whole = Math.floor(t / 1000) * 1000;
    const l = this.local(whole);
    return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - whole;
  }

  /**
   * The instant a wall-clock time happens, resolved like Temporal's `compatible`
   * disambiguation: a time skipped by a spring-forward gap moves later by the gap
   * (02:30 becomes 03:30), a time repeated by a fall-back overlap takes the earlier
   * instant.
   */
  instant(year: number, month: number, day: number, hour: number, minute: number): number {
    const wall = Date.UTC(year, month - 1, day, hour, minute);
    // Real offsets are within ±14 h, so a day either side sees the offsets in force
    // before and after any transition near this wall time.
    const before = this.offset(wall - 86_400_000);
    const after = this.offset(wall + 86_400_000);
    let best: number | null = null;
    for (const o of before === after ? [before] : [before, after]) {
      const t = wall - o;
      if (this.offset(t) === o && (best === null || t < best)) best = t;
    }
    return best ?? wall - before;
  }
}

/** Adds days to a civil date (no time zone involved). */
export function addDays(
  date: { year: number; month: number; day: number },
  days: number,
): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
  };
}

export interface LocalTimeSpec {
  hour: number;
  minute: number;
  /** Only these local weekdays; all days when absent or empty. */
  weekdays?: readonly Weekday[] | undefined;
}

/**
 * The first instant at or after `now` when the wall clock in `timeZone` shows
 * `hour:minute` on one of `weekdays`. DST-safe: computed from the local calendar, so
 * "09:00" stays 09:00 local across a change; a time that does not exist that day (inside
 * a spring-forward gap) happens as many minutes after the gap as it was into it.
 * An unknown zone falls back to UTC.
 *
 * @example nextLocalTime(Date.UTC(2026, 2, 28, 12), 'Europe/Paris', { hour: 9, minute: 0 })
 *   // 2026-03-29T07:00:00Z: 09:00 CEST, the day after 09:00 had already passed
 */
export function nextLocalTime(now: number, timeZone: string, spec: LocalTimeSpec): number {
  const zone = new ZoneClock(resolveTimeZone(timeZone));
  const today = zone.local(now);
  const allowed = spec.weekdays && spec.weekdays.length > 0 ? spec.weekdays : null;
  for (let i = 0; i <= 8; i++) {
    const date = addDays(today, i);
    if (allowed && !allowed.includes(WEEKDAYS[date.weekday]!)) continue;
    const t = zone.instant(date.year, date.month, date.day, spec.hour, spec.minute);
    if (t >= now) return t;
  }
  // Unreachable: within 8 days every weekday occurs with a full day to spare.
  throw new Error('nextLocalTime found no instant within 8 days');
}

/** `"09:30"` -> `{ hour: 9, minute: 30 }`. */
export function parseTimeOfDay(text: string): { hour: number; minute: number } {
  const [h, m] = text.split(':');
  return { hour: Number(h), minute: Number(m) };
}

/** The local date `YYYY-MM-DD` of instant `t` in `zone`. */
export function localDateString(zone: ZoneClock, t: number): string {
  const l = zone.local(t);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}
