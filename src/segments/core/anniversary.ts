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

interface Interval {
  start: number;
  end: number;
}

function anniversaryIn(year: number, month: number, day: number): number {
  const d =
    month === 2 && day === 29 && !isLeapYear(year) ? 28 : Math.min(day, daysInMonth(year, month));
  return utcMs(year, month, d);
}

/** The windows of years from `fromYear` on, `count` of them, in time order. */
function windows(date: number, days: number, fromYear: number, count: number): Interval[] {
  const d = new Date(date);
  const firstYear = Math.max(d.getUTCFullYear() + 1, fromYear);
  const out: Interval[] = [];
  for (let y = firstYear; y < firstYear + count; y++) {
    const a = anniversaryIn(y, d.getUTCMonth() + 1, d.getUTCDate());
    if (Number.isFinite(a)) out.push({ start: a - days * DAY_MS, end: a + DAY_MS });
  }
  return out;
}

/** True when `now` is within `days` days before an anniversary of `date`, or on it. */
export function isAnniversaryWithin(date: number, days: number, now: number): boolean {
  // A window is at most 366 days long and ends a day after its anniversary, so only the
  // anniversaries of last year, this year and next year can contain `now`.
  const year = new Date(now).getUTCFullYear();
  for (const w of windows(date, days, year - 1, 3)) {
    if (w.start <= now && now < w.end) return true;
  }
  return false;
}

/**
 * The first time after `now` at which `isAnniversaryWithin(date, days, ·)` changes, or
 * null if it never does again.
 */
export function anniversaryChangesAt(date: number, days: number, now: number): number | null {
  const year = new Date(now).getUTCFullYear();
  // Windows of consecutive years touch only when days >= 364 (years are 365 or 366 days
  // apart); with 364 a 366-day gap, which breaks the chain, comes within 8 years. So 14
  // years of windows decide the answer, and a chain that is still unbroken at the end of
  // them (days = 365) never breaks.
  const ws = windows(date, days, year - 1, 14);
  const merged: Interval[] = [];
  for (const w of ws) {
    const last = merged[merged.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else merged.push({ ...w });
  }
  for (let i = 0; i < merged.length; i++) {
    const w = merged[i]!;
    if (now < w.start) return w.start;
    if (now < w.end) return i === merged.length - 1 && ws.length === 14 ? null : w.end;
  }
  return null;
}
