import { localDateString, resolveTimeZone, Zone } from '../../shared/index.js';
import { DATE_TRIGGER_EVENT, type JourneyEvent } from './journey-event.js';
import { parseTimeOfDay } from './local-time.js';
import { getPath } from './paths.js';
import type { DateTrigger } from './triggers.js';

/** A date trait's month and day, and its year when it has one. */
export interface TraitDate {
  year: number | null;
  month: number;
  day: number;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * Reads a date trait: `YYYY-MM-DD`, `--MM-DD` or `MM-DD` (no year), an ISO date-time or
 * epoch milliseconds (an instant: its local date in `zone`). Anything else is null.
 */
export function parseTraitDate(value: unknown, zone: Zone): TraitDate | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const l = zone.local(value);
    return { year: l.year, month: l.month, day: l.day };
  }
  if (typeof value !== 'string') return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo)
      ? { year: y, month: mo, day: d }
      : null;
  }
  m = /^(?:--)?(\d{2})-(\d{2})$/.exec(value);
  if (m) {
    const [mo, d] = [Number(m[1]), Number(m[2])];
    // 2000 is a leap year, so --02-29 is a valid birthday.
    return mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(2000, mo)
      ? { year: null, month: mo, day: d }
      : null;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const t = Date.parse(value);
    if (Number.isNaN(t)) return null;
    const l = zone.local(t);
    return { year: l.year, month: l.month, day: l.day };
  }
  return null;
}

/** The day a month-day falls on in `year`: February 29 is kept on February 28 in common years. */
export function occurrenceDay(month: number, day: number, year: number): number {
  return month === 2 && day === 29 && !isLeap(year) ? 28 : day;
}

/**
 * When a date trigger next fires for a person: strictly after `now`, on the trait's month
 * and day at the trigger's local time (`at`, default 09:00) in `timeZone` (UTC when
 * missing or unknown). Only years after the trait's own year count, so a sign-up date
 * fires first on its first anniversary. February 29 fires on February 28 in common years.
 * DST-safe: the wall-clock time is resolved per date (a time inside a spring-forward gap
 * moves later by the gap). Null when the trait is missing or not a date.
 *
 * @example nextDateTriggerAt({ type: 'date', trait: 'birthday', at: '09:00' },
 *   { birthday: '1990-07-14' }, 'Europe/Paris', Date.UTC(2026, 0, 1)) // 2026-07-14T07:00:00Z
 */
export function nextDateTriggerAt(
  trigger: Pick<DateTrigger, 'trait' | 'at'>,
  traits: Record<string, unknown>,
  timeZone: string | null | undefined,
  now: number,
): number | null {
  const zone = new Zone(resolveTimeZone(timeZone));
  const date = parseTraitDate(getPath(traits, trigger.trait), zone);
  if (!date) return null;
  const { hour, minute } = parseTimeOfDay(trigger.at);
  const first = Math.max(zone.local(now).year, date.year === null ? -Infinity : date.year + 1);
  for (let year = first; year <= first + 2; year++) {
    const day = occurrenceDay(date.month, date.day, year);
    const t = zone.instant({ year, month: date.month, day }, { hour, minute });
    if (t > now) return t;
  }
  return null;
}

/**
 * The trigger event the shell delivers when a date trigger fires at `at`: its key is the
 * occurrence's local date (`properties.date`), so re-entry `never` per key means once a
 * year; `properties.years` counts anniversaries when the trait has a year.
 */
export function dateTriggerEvent(
  trigger: Pick<DateTrigger, 'trait'>,
  traits: Record<string, unknown>,
  timeZone: string | null | undefined,
  at: number,
): JourneyEvent {
  const zone = new Zone(resolveTimeZone(timeZone));
  const value = getPath(traits, trigger.trait);
  const date = parseTraitDate(value, zone);
  const year = zone.local(at).year;
  return {
    event: DATE_TRIGGER_EVENT,
    timestamp: at,
    properties: {
      trait: trigger.trait,
      date: localDateString(zone, at),
      value: value ?? null,
      ...(date?.year != null ? { years: year - date.year } : {}),
    },
  };
}
