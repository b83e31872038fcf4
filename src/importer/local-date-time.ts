import { zoneNamed } from '../shared/index.js';

/**
 * Parses `YYYY-MM-DD HH:MM[:SS]` as local time in `tz`; NaN if malformed. A time the
 * clocks skip lands later by the gap, and a time they show twice takes its later instant
 * (Temporal's `later`): how the importer has always read UK times. Throws a RangeError
 * for a zone Intl does not know (a preset's constant, not data).
 *
 * @example parseLocalDateTime('2011-03-27 01:30', 'Europe/London') // 2011-03-27T01:30:00Z (02:30 BST)
 */
export function parseLocalDateTime(text: string, tz: string): number {
  const zone = zoneNamed(tz);
  if (!zone) throw new RangeError(`Invalid time zone specified: ${tz}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const date = { year: +m[1]!, month: +m[2]!, day: +m[3]! };
  return zone.instant(date, { hour: +m[4]!, minute: +m[5]!, second: +(m[6] ?? 0) }, 'later');
}
