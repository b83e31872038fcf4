import { z } from 'zod';
import { checkIsoDuration, parseIsoDuration, type DurationRules } from '../../shared/index.js';

/**
 * Cap windows: longer than zero, and no longer than milliseconds count exactly (the
 * bound these windows have always had; stored settings rely on it).
 */
const CAP_WINDOW: DurationRules = {
  maxMs: Number.MAX_SAFE_INTEGER,
  maxText: 'about 285,000 years',
  allowZero: false,
};

/** An ISO 8601 duration for a frequency cap's window (`PT16H`, `P7D`, `P1W`, `P1DT12H`). */
export const IsoDuration = z.string().max(40).superRefine(checkIsoDuration(CAP_WINDOW));
export type IsoDuration = z.infer<typeof IsoDuration>;

/** Milliseconds in a cap window, or `null` when it is not one (or is zero). */
export function durationMs(text: string): number | null {
  const parsed = parseIsoDuration(text, CAP_WINDOW);
  return parsed.kind === 'ok' ? parsed.ms : null;
}
