import { z } from 'zod';
import {
  checkIsoDuration,
  isoDurationMs,
  parseIsoDuration,
  type DurationRules,
  type ParsedDuration,
} from '../../shared/index.js';

/** Ten years: longer waits are almost certainly a typo (P3650D is still accepted). */
export const MAX_DURATION_MS = 3650 * 86_400_000;

/**
 * Journey durations: waits, timeouts, windows. `PT0S` is allowed (a welcome message "at
 * once"); a day is 24 hours of elapsed time, so a `P1D` wait across a DST change ends at
 * a different local hour (use a local-time wait to pin the hour).
 */
const JOURNEY_DURATION: DurationRules = {
  maxMs: MAX_DURATION_MS,
  maxText: '10 years (P3650D)',
  allowZero: true,
};

/** @example parseDuration('PT24H') // { kind: 'ok', ms: 86_400_000 } */
export const parseDuration = (text: string): ParsedDuration =>
  parseIsoDuration(text, JOURNEY_DURATION);

/** Milliseconds of a duration already validated by the `Duration` schema; throws otherwise. */
export const durationMs = (text: string): number => isoDurationMs(text, JOURNEY_DURATION);

/** An ISO 8601 duration string (`PT24H`, `P3D`, `PT3S`, `P1W`). */
export const Duration = z.string().superRefine(checkIsoDuration(JOURNEY_DURATION));
export type Duration = z.infer<typeof Duration>;
