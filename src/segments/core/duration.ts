import { SEGMENT_LIMITS } from './limits.js';

// ISO 8601 durations with fixed-length units only: weeks, days (24 h), hours, minutes and
// seconds (up to millisecond precision). Months and years are refused because their
// length depends on the calendar, and a window that changes size would make "when does
// this expire" depend on more than the event's own time.
const DURATION =
  /^P(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10})(?:[.,](\d{1,3}))?S)?)?$/;
const UNIT_MS = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000] as const;

export const DURATION_PROBLEM =
  'must be an ISO 8601 duration such as P7D, PT24H, PT30M or P1DT12H (weeks, days, hours, minutes, seconds)';

/**
 * Parses an ISO 8601 duration into milliseconds, or returns a plain-English problem.
 *
 * @example
 * parseDuration('P7D'); // { ok: true, ms: 604800000 }
 * parseDuration('P1M'); // { ok: false, problem: 'months and years have no fixed length: ...' }
 */
export function parseDuration(
  text: unknown,
): { ok: true; ms: number } | { ok: false; problem: string } {
  if (typeof text !== 'string') return { ok: false, problem: DURATION_PROBLEM };
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) {
    if (typeof text === 'string' && /^P(?:\d+[YMWD])*\d+[YM]/.test(text)) {
      return {
        ok: false,
        problem: 'months and years have no fixed length: use days instead, e.g. P30D or P365D',
      };
    }
    return { ok: false, problem: DURATION_PROBLEM };
  }
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) ms += Number(part) * UNIT_MS[i]!;
  }
  if (m[6] !== undefined) ms += Number(m[6].padEnd(3, '0'));
  if (ms <= 0) return { ok: false, problem: 'must be longer than zero' };
  if (ms > SEGMENT_LIMITS.maxDurationMs) {
    return { ok: false, problem: 'must be at most 100 years (P36525D)' };
  }
  return { ok: true, ms };
}

/** The milliseconds of a duration that validation has already accepted. */
export function durationMs(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`invalid duration ${JSON.stringify(text)}: ${parsed.problem}`);
  return parsed.ms;
}
