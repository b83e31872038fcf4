import { Zone, addDays } from '../../shared/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SendTimeInput {
  /** When the message became due, epoch ms. */
  now: number;
  /** The recipient's zone (see `resolveTimeZone`). */
  timeZone: string;
  /** The person's best local hour to receive messages (0-23), from their engagement. */
  bestHour?: number | null | undefined;
  /** The workspace's best hour, used when the person has none. */
  workspaceBestHour?: number | null | undefined;
  /** How long delivery may wait, ms (e.g. 24 h). */
  windowMs: number;
  /** The minute within the hour; 0 by default. */
  minute?: number;
}

export interface SendTimeDecision {
  at: number;
  /** Whose best hour decided: the person's, the workspace's, or none (send now). */
  source: 'person' | 'workspace' | 'none';
  reason: 'best_hour' | 'in_best_hour' | 'closest_in_window' | 'no_best_hour';
}

function isHour(h: number | null | undefined): h is number {
  return typeof h === 'number' && Number.isInteger(h) && h >= 0 && h <= 23;
}

/** Distance between two minutes-of-day around the clock face. */
function circular(a: number, b: number): number {
  const d = Math.abs(a - b) % 1440;
  return Math.min(d, 1440 - d);
}

/**
 * Send-time optimization: the delivery instant for a message due at `now`. The next
 * time the recipient's local clock shows their best hour (the workspace's when they have
 * none), if that falls within the window; now, if it is already that hour; else the end
 * of the window nearest to the best hour (when the window is shorter than a day and
 * misses it). DST-safe: the hour is found on the local calendar.
 *
 * @example chooseSendTime({ now, timeZone: 'Europe/Paris', bestHour: 19, windowMs: 86_400_000 })
 *   // { at: <19:00 Paris today or tomorrow>, source: 'person', reason: 'best_hour' }
 */
export function chooseSendTime(input: SendTimeInput): SendTimeDecision {
  const { now, windowMs } = input;
  const source = isHour(input.bestHour)
    ? 'person'
    : isHour(input.workspaceBestHour)
      ? 'workspace'
      : 'none';
  const hour =
    source === 'person' ? input.bestHour : source === 'workspace' ? input.workspaceBestHour : null;
  if (!isHour(hour)) return { at: now, source: 'none', reason: 'no_best_hour' };
  const minute = input.minute ?? 0;
  const zone = new Zone(input.timeZone);
  const today = zone.local(now);
  if (today.hour === hour) return { at: now, source, reason: 'in_best_hour' };
  const end = now + Math.max(0, windowMs);
  for (let d = 0; d <= Math.ceil(windowMs / DAY) + 1; d++) {
    const date = addDays(today, d);
    const candidate = zone.instant(date, { hour, minute }, 'jump');
    if (candidate < now) continue;
    if (candidate <= end) return { at: candidate, source, reason: 'best_hour' };
    break;
  }
  // The window misses the best hour: over an arc of the clock that does not contain it,
  // the nearest point is one of the arc's ends.
  const target = hour * 60 + minute;
  const startWall = zone.local(now);
  const endWall = zone.local(end);
  const atStart = circular(startWall.hour * 60 + startWall.minute, target);
  const atEnd = circular(endWall.hour * 60 + endWall.minute, target);
  return { at: atEnd < atStart ? end : now, source, reason: 'closest_in_window' };
}
