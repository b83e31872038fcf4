import { utcOffsetMinutes } from '../../shared/index.js';
import { CHANNELS, type Channel, type ProfileFacts } from './facts-schema.js';

/**
 * The channel a person engages with most. Engagement is opens + clicks; when deliveries are
 * known the score is the Laplace-smoothed rate (e + 1) / (delivered + 2), so 10 opens of 100
 * emails lose to 3 of 4 pushes. Without delivery events the denominator falls back to the
 * engagement itself, which orders channels by how often they were engaged. Ties go to more
 * engagement, then to the order of CHANNELS. Null when nothing was ever engaged with.
 */
export function preferredChannel(channels: ProfileFacts['channels']): Channel | null {
  let best: { channel: Channel; rate: number; engaged: number } | null = null;
  for (const channel of CHANNELS) {
    const { delivered, opened, clicked } = channels[channel];
    const engaged = opened + clicked;
    if (engaged === 0) continue;
    const rate = (engaged + 1) / (Math.max(delivered, engaged) + 2);
    if (!best || rate > best.rate || (rate === best.rate && engaged > best.engaged)) {
      best = { channel, rate, engaged };
    }
  }
  return best?.channel ?? null;
}

/**
 * The hour (0-23, local) a person is most reachable: opens and clicks weigh
 * `engagedWeight`, other activity 1. Events that named their timezone were bucketed in local
 * time already; the rest, bucketed in UTC, are shifted by the person's current offset (to
 * the nearest hour) — or read as UTC when no timezone is known. The histogram is smoothed
 * with a circular [1, 2, 1] kernel so one stray event does not outvote a neighbourhood;
 * ties go to the earliest hour. Null without activity.
 */
export function bestSendHour(
  hours: ProfileFacts['hours'],
  timezone: string | null,
  now: number,
  engagedWeight: number,
): number | null {
  const offsetMinutes = timezone ? (utcOffsetMinutes(now, timezone) ?? 0) : 0;
  const shift = Math.round(offsetMinutes / 60);
  const score = Array.from({ length: 24 }, () => 0);
  for (let h = 0; h < 24; h++) {
    const local = (((h + shift) % 24) + 24) % 24;
    score[h] = score[h]! + engagedWeight * hours.engaged_local[h]! + hours.active_local[h]!;
    score[local] = score[local]! + engagedWeight * hours.engaged_utc[h]! + hours.active_utc[h]!;
  }
  if (score.every((s) => s === 0)) return null;
  let best = 0;
  let bestValue = -1;
  for (let h = 0; h < 24; h++) {
    const smoothed = score[(h + 23) % 24]! + 2 * score[h]! + score[(h + 1) % 24]!;
    if (smoothed > bestValue) {
      best = h;
      bestValue = smoothed;
    }
  }
  return best;
}
