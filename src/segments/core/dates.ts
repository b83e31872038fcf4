import { DAY_MS } from './limits.js';

// YYYY-MM-DD, optionally followed by a time and a zone. The regex is ours rather than
// Date.parse because Date.parse reads a date-time without a zone in the *machine's*
// time zone, which would make the same segment mean different things on two servers.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

/** The largest time a JavaScript Date can hold, in ms either side of the epoch. */
const MAX_TIME_MS = 8.64e15;
// The Gregorian calendar repeats every 400 years (146,097 days); used to place years
// 0-99, which Date.UTC would otherwise read as 1900-1999.
const CYCLE_MS = 146_097 * DAY_MS;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month1: number): number {
  return month1 === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month1) ? 30 : 31;
}

/** Epoch ms of a UTC calendar date and time; the caller has checked the ranges. */
export function utcMs(year: number, month1: number, day: number, ms = 0): number {
  if (year >= 0 && year < 100) return Date.UTC(year + 400, month1 - 1, day) + ms - CYCLE_MS;
  return Date.UTC(year, month1 - 1, day) + ms;
}

/** The number in `text[from, from + length)` if it is all decimal digits, else -1. */
function digits(text: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offsetMs: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const time = ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return utcMs(year, month, day, time) - offsetMs;
}

/**
 * Reads an ISO 8601 date (`2024-05-01`, midnight UTC) or date-time
 * (`2024-05-01T09:30:00Z`, `2024-05-01T11:30:00.250+02:00`) into epoch milliseconds.
 * With `requireZone`, a date-time must state its zone (`Z` or an offset); without it, a
 * date-time with no zone is read as UTC. Returns undefined for anything else.
 */
export function parseIsoDate(text: string, requireZone: boolean): number | undefined {
  // Fast path for the shapes data nearly always has: 2024-05-01, 2024-05-01T09:30:00Z
  // and Date#toISOString's 2024-05-01T09:30:00.000Z.
  const n = text.length;
  if (
    (n === 10 || n === 20 || n === 24) &&
    text.charCodeAt(4) === 45 && // -
    text.charCodeAt(7) === 45
  ) {
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    if (n === 10) {
      return year < 0 || month < 0 || day < 0 ? undefined : build(year, month, day, 0, 0, 0, 0, 0);
    }
    if (
      text.charCodeAt(10) === 84 && // T
      text.charCodeAt(13) === 58 && // :
      text.charCodeAt(16) === 58 &&
      text.charCodeAt(n - 1) === 90 && // Z
      (n === 20 || text.charCodeAt(19) === 46) // .
    ) {
      const hour = digits(text, 11, 2);
      const minute = digits(text, 14, 2);
      const second = digits(text, 17, 2);
      const millis = n === 24 ? digits(text, 20, 3) : 0;
      if (Math.min(year, month, day, hour, minute, second, millis) >= 0) {
        return build(year, month, day, hour, minute, second, millis, 0);
      }
      return undefined;
    }
  }
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  if (h === undefined) return build(Number(y), Number(mo), Number(d), 0, 0, 0, 0, 0);
  if (requireZone && z === undefined && sign === undefined) return undefined;
  let offset = 0;
  if (sign !== undefined) {
    const offH = Number(oh);
    const offM = Number(om);
    if (offH > 23 || offM > 59) return undefined;
    offset = (sign === '+' ? 1 : -1) * (offH * 60 + offM) * 60_000;
  }
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const second = s === undefined ? 0 : Number(s);
  return build(Number(y), Number(mo), Number(d), Number(h), Number(mi), second, millis, offset);
}

/**
 * The data rule for dates: a finite number is epoch milliseconds, a string is an ISO 8601
 * date or date-time (UTC when it names no zone), a Date is its time. Anything else, or a
 * time a Date cannot hold, is not a date.
 */
export function toEpochMs(value: unknown): number | undefined {
  let ms: number | undefined;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') ms = parseIsoDate(value, false);
  else if (value instanceof Date) ms = value.getTime();
  return ms !== undefined && Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS ? ms : undefined;
}
