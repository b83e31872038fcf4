import {
  isoDurationMs,
  parseIsoDuration,
  type DurationRules,
  type ParsedDuration,
} from '../../shared/index.js';
import { SEGMENT_LIMITS } from './limits.js';

/**
 * Segment windows (`within`, `within_last`, `more_than_ago`): longer than zero, since a
 * window that changes size or has none would make "when does this expire" depend on more
 * than the event's own time; at most 100 years.
 */
const SEGMENT_DURATION: DurationRules = {
  maxMs: SEGMENT_LIMITS.maxDurationMs,
  maxText: '100 years (P36525D)',
  allowZero: false,
};

/**
 * Parses a segment window into milliseconds, or says what is wrong with it.
 *
 * @example parseDuration('P7D'); // { kind: 'ok', ms: 604800000 }
 */
export const parseDuration = (text: unknown): ParsedDuration =>
  parseIsoDuration(text, SEGMENT_DURATION);

/** The milliseconds of a duration that validation has already accepted. */
export const durationMs = (text: string): number => isoDurationMs(text, SEGMENT_DURATION);
