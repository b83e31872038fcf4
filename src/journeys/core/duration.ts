import { z } from 'zod';

const MS = { W: 604_800_000, D: 86_400_000, H: 3_600_000, M: 60_000, S: 1000 } as const;

/** Ten years: longer waits are almost certainly a typo (P3650D is still accepted). */
export const MAX_DURATION_MS = 3650 * MS.D;

// Weeks, days, hours, minutes, seconds (seconds may carry up to 3 decimals). Years and
// months are refused: they have no fixed length in milliseconds.
const PATTERN =
  /^P(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10}(?:\.\d{1,3})?)S)?)?$/;

export type DurationResult = { ok: true; ms: number } | { ok: false; problem: string };

/**
 * Parses an ISO 8601 duration made of weeks, days, hours, minutes and seconds into
 * milliseconds. A day is 24 hours of elapsed time (a `P1D` wait across a DST change
 * ends at a different local hour; use a local-time wait to pin the hour).
 *
 * @example parseDuration('PT24H') // { ok: true, ms: 86_400_000 }
 */
export function parseDuration(text: string): DurationResult {
  const m = PATTERN.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) {
    if (/^P\d[^T]*[YM]/.test(text)) {
      return {
        ok: false,
        problem: `"${text}": years and months have no fixed length; write days or weeks (e.g. P30D)`,
      };
    }
    return {
      ok: false,
      problem: `"${text}" is not an ISO 8601 duration such as PT24H, P3D or PT3S`,
    };
  }
  const [, w, d, h, min, s] = m;
  const ms =
    Number(w ?? 0) * MS.W +
    Number(d ?? 0) * MS.D +
    Number(h ?? 0) * MS.H +
    Number(min ?? 0) * MS.M +
    Math.round(Number(s ?? 0) * MS.S);
  if (ms > MAX_DURATION_MS) {
    return { ok: false, problem: `"${text}" is longer than the maximum of 10 years (P3650D)` };
  }
  return { ok: true, ms };
}

/** Milliseconds of a duration already validated by the `Duration` schema; throws otherwise. */
export function durationMs(text: string): number {
  const r = parseDuration(text);
  if (!r.ok) throw new Error(r.problem);
  return r.ms;
}

/** An ISO 8601 duration string (`PT24H`, `P3D`, `PT3S`, `P1W`). */
export const Duration = z.string().superRefine((text, ctx) => {
  const r = parseDuration(text);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.problem });
});
export type Duration = z.infer<typeof Duration>;
