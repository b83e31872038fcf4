import { z } from 'zod';
import { Zone, addDays } from '../../shared/index.js';

/** A local time of day, `HH:MM` on a 24-hour clock. */
export const TimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time such as 21:00');

/**
 * Hours in the recipient's time zone when nothing is delivered, from `start` up to (not
 * including) `end`; `21:00`–`08:00` wraps midnight.
 */
export const QuietHours = z
  .strictObject({ start: TimeOfDay, end: TimeOfDay })
  .refine((q) => q.start !== q.end, { message: 'start and end must differ', path: ['end'] });
export type QuietHours = z.infer<typeof QuietHours>;

/** `defer` to the end of the quiet hours, or `drop` the message. */
export const QuietMode = z.enum(['defer', 'drop']);
export type QuietMode = z.infer<typeof QuietMode>;

export type QuietDecision =
  | { kind: 'send'; at: number }
  | { kind: 'defer'; at: number }
  /** Dropped: it arrived in quiet hours, which end at `until`. */
  | { kind: 'drop'; until: number };

function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function quietAt(zone: Zone, t: number, quiet: QuietHours): boolean {
  const s = zone.secondOfDay(t);
  const start = minutes(quiet.start) * 60;
  const end = minutes(quiet.end) * 60;
  return start < end ? s >= start && s < end : s >= start || s < end;
}

/** Whether instant `t` falls in the quiet hours, on the wall clock of `timeZone`. */
export function isQuietAt(t: number, quiet: QuietHours, timeZone: string): boolean {
  return quietAt(new Zone(timeZone), t, quiet);
}

/**
 * The first instant at or after `t` outside the quiet hours: `t` itself when it is not
 * quiet, else when the local clock next reaches `end`. DST-safe: on a day the clocks
 * skip `end`, the quiet hours end at the jump (with `end` 02:30 and a jump from 02:00 to
 * 03:00, at 03:00); on a day they repeat it, at its first occurrence.
 *
 * @example nextAllowedAt(Date.UTC(2026, 2, 28, 22), { start: '21:00', end: '08:00' }, 'Europe/Paris')
 *   // 2026-03-29T06:00:00Z: 08:00 in Paris, on summer time since 02:00 that night
 */
export function nextAllowedAt(t: number, quiet: QuietHours, timeZone: string): number {
  const zone = new Zone(timeZone);
  let at = t;
  // Twice at most in practice; the bound only guards against a zone whose transition
  // lands back inside the window.
  for (let i = 0; i < 4 && quietAt(zone, at, quiet); i++) {
    const wall = zone.local(at);
    const now = wall.hour * 60 + wall.minute;
    const start = minutes(quiet.start);
    const end = minutes(quiet.end);
    const endsTomorrow = start > end && now >= start;
    const date = endsTomorrow ? addDays(wall, 1) : wall;
    const next = zone.instant(date, { hour: Math.floor(end / 60), minute: end % 60 }, 'jump');
    at = next > at ? next : at + 60_000;
  }
  return at;
}

/**
 * What quiet hours do to a message due at `now`: send it, defer it to the end of the
 * quiet hours, or drop it (per journey).
 */
export function applyQuietHours(
  now: number,
  quiet: QuietHours | undefined,
  timeZone: string,
  mode: QuietMode,
): QuietDecision {
  if (quiet === undefined) return { kind: 'send', at: now };
  const at = nextAllowedAt(now, quiet, timeZone);
  if (at === now) return { kind: 'send', at: now };
  return mode === 'defer' ? { kind: 'defer', at } : { kind: 'drop', until: at };
}
