import { z } from 'zod';

/**
 * How far past its receipt an event's (skew-corrected) time may lie. Beyond it the
 * client's clock or data is wrong, and an event dated in the future would outrank every
 * later statement for as long as the future lasts (a consent "yes" dated 2099 would beat
 * every unsubscribe until then), so such an event is dated at its receipt instead.
 */
export const MAX_FUTURE_MS = 24 * 3_600_000;

/** Epoch numbers below this are seconds (up to the year 5138); at or above, milliseconds. */
const SECONDS_BELOW = 1e11;
/** The smallest epoch number read as a time: 1e9 s is 2001-09-09; smaller is a count, not a date. */
const MIN_EPOCH = 1e9;
/** The largest time a JS Date can hold (ECMA-262 21.4.1.1). */
const MAX_TIME = 8.64e15;

// ISO 8601 / RFC 3339: a date, optionally a time (minutes, seconds and a fraction
// optional) and an offset. A date-time without an offset is read as UTC, never as the
// server's local time.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

export type TimeParse = { kind: 'ok'; ms: number } | { kind: 'invalid'; problem: string };

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isoProblem(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `must be an ISO 8601 date-time such as 2024-05-01T12:00:00Z or epoch milliseconds (got ${JSON.stringify(shown)})`;
}

function parseIso(text: string): TimeParse {
  const m = ISO.exec(text);
  if (!m) return { kind: 'invalid', problem: isoProblem(text) };
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > monthDays) {
    return { kind: 'invalid', problem: `is not a calendar date (got ${JSON.stringify(text)})` };
  }
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (hour > 23 || minute > 59 || second > 59) {
    return { kind: 'invalid', problem: `is not a time of day (got ${JSON.stringify(text)})` };
  }
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) {
      return {
        kind: 'invalid',
        problem: `has an impossible UTC offset (got ${JSON.stringify(text)})`,
      };
    }
    offsetMin = sign * (oh * 60 + om);
  }
  // setUTCFullYear, not Date.UTC, which reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Math.floor(Number(`0.${frac || '0'}`) * 1000));
  return { kind: 'ok', ms: date.getTime() - offsetMin * 60_000 };
}

/**
 * Reads an event time strictly: an ISO 8601 date-time string, or an epoch number
 * (milliseconds; seconds below 1e11). Loose spellings that `Date.parse` would guess at
 * (`"0"`, `"12"`, `"x 2024"`, `"May 1"`) are refused: a guess moves events decades.
 *
 * @example
 * parseEventTime('2024-05-01T12:00:00+02:00') // { kind: 'ok', ms: 1714557600000 }
 * parseEventTime('0')                         // { kind: 'invalid', problem: 'must be an ISO 8601 …' }
 */
export function parseEventTime(value: unknown): TimeParse {
  if (typeof value === 'string') return parseIso(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < MIN_EPOCH) {
      return {
        kind: 'invalid',
        problem: `must be epoch milliseconds or seconds after 2001-09-09 (got ${value})`,
      };
    }
    const ms = value < SECONDS_BELOW ? value * 1000 : value;
    if (ms > MAX_TIME)
      return { kind: 'invalid', problem: `is beyond the largest date (got ${value})` };
    return { kind: 'ok', ms: Math.floor(ms) };
  }
  return { kind: 'invalid', problem: 'must be an ISO 8601 date-time string or an epoch number' };
}

/** The zod face of {@link parseEventTime}, for the Segment schemas. */
export const EventTime = z
  .union([z.string().max(64), z.number()], {
    error: 'must be an ISO 8601 date-time string or an epoch number',
  })
  .superRefine((value, ctx) => {
    const parsed = parseEventTime(value);
    if (parsed.kind !== 'ok') ctx.addIssue({ code: 'custom', message: parsed.problem });
  });

/**
 * An event's time as Segment computes it: the client's time corrected for its clock skew,
 * `receivedAt - (sentAt - clientTime)`; the client time alone without `sentAt`; the
 * receipt without a client time. A result more than {@link MAX_FUTURE_MS} after receipt
 * (or beyond what a Date holds) is replaced by the receipt.
 */
export function eventTime(
  clientTime: number | null,
  sentAt: number | null,
  receivedAt: number,
): number {
  if (clientTime === null) return receivedAt;
  const corrected = sentAt === null ? clientTime : receivedAt - (sentAt - clientTime);
  if (Math.abs(corrected) > MAX_TIME) return receivedAt;
  return corrected > receivedAt + MAX_FUTURE_MS ? receivedAt : corrected;
}
