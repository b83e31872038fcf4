import type { z } from 'zod';

// ISO 8601 durations in fixed-length units only: weeks, days (24 h of elapsed time),
// hours, minutes and seconds, the seconds with up to three decimals (`.` or `,`, as ISO
// allows). Years and months are refused: their length depends on the calendar. Digits
// are not bounded here; each caller's maximum is.
const PATTERN =
  /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,3}))?S)?)?$/;
const UNIT_MS = [604_800_000, 86_400_000, 3_600_000, 60_000, 1000] as const;
/** A year or month before any `T`: the commonest mistake, so it gets its own hint. */
const CALENDAR_UNITS = /^P[^T]*\d[YM]/;
/** Longer text is refused unread, and quoted only in part in messages. */
const MAX_TEXT = 64;
const EXAMPLES = 'such as PT24H, P7D or P1DT12H (weeks, days, hours, minutes and seconds)';

/** What one use of durations accepts beyond the shared grammar. */
export interface DurationRules {
  /** The longest duration accepted, in ms. */
  maxMs: number;
  /** The maximum in words for messages, e.g. `10 years (P3650D)`. */
  maxText: string;
  /** Whether `PT0S` is a duration ("at once") or refused (a window needs a length). */
  allowZero: boolean;
}

export type ParsedDuration = { kind: 'ok'; ms: number } | { kind: 'invalid'; problem: string };

function quote(text: unknown): string {
  if (typeof text !== 'string') {
    // undefined, functions and symbols have no JSON.
    const json: string | undefined = JSON.stringify(text);
    return json ?? typeof text;
  }
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * Parses an ISO 8601 duration into milliseconds under `rules`, or says what is wrong
 * with it, quoting it.
 *
 * @example
 * const rules = { maxMs: 3650 * 86_400_000, maxText: '10 years (P3650D)', allowZero: true };
 * parseIsoDuration('P1DT12H', rules); // { kind: 'ok', ms: 129_600_000 }
 * parseIsoDuration('P1M', rules);
 * // { kind: 'invalid', problem: '"P1M": months and years have no fixed length; write days or weeks instead, such as P30D or P365D' }
 */
export function parseIsoDuration(text: unknown, rules: DurationRules): ParsedDuration {
  if (typeof text !== 'string' || text.length > MAX_TEXT) return notADuration(text);
  const m = PATTERN.exec(text);
  // `P` alone and a `T` with no time after it match the pattern but name nothing.
  if (!m || text === 'P' || text.endsWith('T')) {
    if (!CALENDAR_UNITS.test(text)) return notADuration(text);
    return {
      kind: 'invalid',
      problem: `${quote(text)}: months and years have no fixed length; write days or weeks instead, such as P30D or P365D`,
    };
  }
  // Unrolled: journeys parse a wait at every step they schedule.
  const [, w, d, h, min, sec, frac] = m;
  let ms = 0;
  if (w !== undefined) ms += Number(w) * UNIT_MS[0];
  if (d !== undefined) ms += Number(d) * UNIT_MS[1];
  if (h !== undefined) ms += Number(h) * UNIT_MS[2];
  if (min !== undefined) ms += Number(min) * UNIT_MS[3];
  if (sec !== undefined) ms += Number(sec) * UNIT_MS[4];
  if (frac !== undefined) ms += Number(frac.padEnd(3, '0'));
  if (ms === 0 && !rules.allowZero) {
    return { kind: 'invalid', problem: `${quote(text)} must be longer than zero` };
  }
  // Also catches digits so many that the sum is inexact or infinite.
  if (!(ms <= rules.maxMs)) {
    return {
      kind: 'invalid',
      problem: `${quote(text)} is longer than the maximum of ${rules.maxText}`,
    };
  }
  return { kind: 'ok', ms };
}

function notADuration(text: unknown): ParsedDuration {
  return { kind: 'invalid', problem: `${quote(text)} is not an ISO 8601 duration ${EXAMPLES}` };
}

/** Milliseconds of a duration that validation under `rules` has already accepted; throws otherwise. */
export function isoDurationMs(text: string, rules: DurationRules): number {
  const parsed = parseIsoDuration(text, rules);
  if (parsed.kind !== 'ok') throw new Error(`invalid duration: ${parsed.problem}`);
  return parsed.ms;
}

/**
 * A zod check for durations under `rules`, with the parser's problem as the message.
 *
 * @example export const Duration = z.string().superRefine(checkIsoDuration(rules));
 */
export function checkIsoDuration(
  rules: DurationRules,
): (text: string, ctx: z.RefinementCtx<string>) => void {
  return (text, ctx) => {
    const parsed = parseIsoDuration(text, rules);
    if (parsed.kind !== 'ok') ctx.addIssue({ code: 'custom', message: parsed.problem });
  };
}
