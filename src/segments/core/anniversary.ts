import { daysInMonth, isLeapYear, utcMs } from './dates.js';
import { DAY_MS } from './limits.js';

/*
 * Anniversaries (birthdays, signup anniversaries) are UTC calendar days. The anniversary
 * in year y of a date D is the same month and day as D in year y; for Feb 29 in a year
 * without one it is Feb 28, so the day still falls in the person's birth month. Only
 * years after D's own year count: a signup is not its own anniversary.
 *
 * `anniversary_within: N` holds on the days from N days before an anniversary through
 * the anniversary itself, i.e. at any time in [A − N days, A + 1 day).
 */

/** Midnight UTC of the anniversary in `year` of a date in month/day (1-based). */
function anniversaryIn(year: number, month: number, day: number): number {
  const d =
    month === 2 && day === 29 && !isLeapYear(year) ? 28 : Math.min(day, daysInMonth(year, month));
  return utcMs(year, month, d);
}

/** True when `now` is within `days` days before an anniversary of `date`, or on it. */
export function isAnniversaryWithin(date: number, days: number, now: number): boolean {
  const d = new Date(date);
  const firstYear = d.getUTCFullYear() + 1;
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  // A window is at most 366 days long and ends a day after its anniversary, so only the
  // anniversaries of last year, this year and next year can contain `now`.
  const year = new Date(now).getUTCFullYear();
  for (let y = Math.max(firstYear, year - 1); y <= year + 1; y++) {
    const a = anniversaryIn(y, month, day);
    if (a - days * DAY_MS <= now && now < a + DAY_MS) return true;
  }
  return false;
}

/**
 * The first time after `now` at which `isAnniversaryWithin(date, days, ·)` changes, or
 * null if it never does again.
 */
export function anniversaryChangesAt(date: number, days: number, now: number): number | null {
  const d = new Date(date);
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  // Windows of consecutive years touch only when days >= 364 (years are 365 or 366 days
  // apart); with 364 a 366-day gap, which breaks the chain, comes within 8 years. So 14
  // years of windows decide the answer, and a chain still unbroken at the end of them
  // (days = 365) never breaks.
  const YEARS = 14;
  const from = Math.max(d.getUTCFullYear() + 1, new Date(now).getUTCFullYear() - 1);
  let start = NaN; // the window (merged with those it touches) being built
  let end = NaN;
  for (let y = from; y < from + YEARS; y++) {
    const a = anniversaryIn(y, month, day);
    if (!Number.isFinite(a)) break;
    const s = a - days * DAY_MS;
    const e = a + DAY_MS;
    if (s <= end) {
      end = e;
      continue;
    }
    // The previous window is complete: does it decide?
    if (now < start) return start;
    if (now < end) return end;
    start = s;
    end = e;
  }
  if (now < start) return start;
  if (now < end) return end === anniversaryIn(from + YEARS - 1, month, day) + DAY_MS ? null : end;
  return null;
}
