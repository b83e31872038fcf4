import { z } from 'zod';

const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * An ISO 8601 duration in weeks, days, hours, minutes and seconds (`PT16H`, `P7D`,
 * `P1W`, `P1DT12H`). Years and months are refused: their length varies, and a cap
 * window must be a fixed span. A day is 24 hours here.
 */
export const IsoDuration = z
  .string()
  .max(40)
  .refine((text) => durationMs(text) !== null, {
    message:
      'must be an ISO 8601 duration of weeks, days, hours, minutes or seconds, such as PT16H or P7D',
  });
export type IsoDuration = z.infer<typeof IsoDuration>;

/** Milliseconds in an ISO 8601 duration, or `null` when it is not one (or is zero). */
export function durationMs(text: string): number | null {
  const m = PATTERN.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return null;
  const [w, d, h, min, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = ((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000;
  return ms > 0 && Number.isSafeInteger(ms) ? ms : null;
}
