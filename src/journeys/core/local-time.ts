import { z } from 'zod';
import { addDays, isValidTimeZone, resolveTimeZone, Zone } from '../../shared/index.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

/** A local time of day, `HH:MM` on a 24-hour clock. */
export const LocalTimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time of day such as 09:00');

/** An IANA time zone name (a journey's default zone). */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' });

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
  const zone = new Zone(resolveTimeZone(timeZone));
  const today = zone.local(now);
  const allowed = spec.weekdays && spec.weekdays.length > 0 ? spec.weekdays : null;
  for (let i = 0; i <= 8; i++) {
    const date = addDays(today, i);
    if (allowed && !allowed.includes(WEEKDAYS[date.weekday]!)) continue;
    const t = zone.instant(date, spec);
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
