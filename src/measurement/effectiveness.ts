import type { SentMessage } from '../messaging/index.js';

/** Engagement within this long of sending counts as timely. */
export const TIMELY_MS = 4 * 3_600_000;
/** A factor without evidence (nothing to compare) is neutral. */
export const NO_EVIDENCE = 0.5;
/** The traits a complete profile has (plus a time zone). */
export const KEY_TRAITS = ['email', 'first_name', 'last_name'] as const;

/** What data quality and channel preference need to know of one person reached. */
export interface PersonQuality {
  /** Known by a user id or an e-mail address, not only a device. */
  identified: boolean;
  /** Said yes or no to at least one channel: consent is recorded, not assumed. */
  consentRecorded: boolean;
  /** Share of `KEY_TRAITS` and the time zone the profile has, 0 to 1. */
  completeness: number;
  /** `preferred_channel` trait, if the person stated one. */
  statedChannel: string | null;
}

const rate = (ms: readonly SentMessage[]) =>
  ms.length === 0 ? 0 : ms.filter((m) => m.engagedAt !== null).length / ms.length;
const r4 = (x: number) => Number(x.toFixed(4));

/**
 * Relevance: engagement of messages with personalized blocks (recommend, offer,
 * rendered with the person's data) against the rest, E_p / (E_p + E_c): 0.5 when
 * personalizing changes nothing, toward 1 when it wins, toward 0 when it loses.
 */
export function relevance(ms: readonly SentMessage[]) {
  const p = ms.filter((m) => m.personalized && m.blockKinds.length > 0);
  const c = ms.filter((m) => !(m.personalized && m.blockKinds.length > 0));
  const ep = rate(p);
  const ec = rate(c);
  const value = p.length === 0 || c.length === 0 || ep + ec === 0 ? NO_EVIDENCE : ep / (ep + ec);
  return {
    value: r4(value),
    personalized: { messages: p.length, engagement: r4(ep) },
    control: { messages: c.length, engagement: r4(ec) },
  };
}

/**
 * Timing: of the engagement messages earn, the share that came within 4 hours of
 * sending. The person's eventual engagement with the same message is the baseline, so a
 * message that lands when they are there scores 1, one read days later 0.
 */
export function timing(ms: readonly SentMessage[]) {
  const engaged = ms.filter((m) => m.engagedAt !== null);
  const timely = engaged.filter((m) => m.engagedAt! - m.sentAt <= TIMELY_MS);
  const value = engaged.length === 0 ? NO_EVIDENCE : timely.length / engaged.length;
  return { value: r4(value), engaged: engaged.length, withinHours: timely.length };
}

/**
 * A person's preferred channel: the one they stated (`preferred_channel`), else the one
 * they engaged with at the highest rate over the window (null when they engaged with none).
 */
export function preferredChannel(
  own: readonly SentMessage[],
  stated: string | null,
): string | null {
  if (stated) return stated;
  const by = new Map<string, SentMessage[]>();
  for (const m of own) by.set(m.channel, [...(by.get(m.channel) ?? []), m]);
  let best: string | null = null;
  let bestRate = 0;
  for (const [ch, list] of [...by].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const r = rate(list);
    if (r > bestRate) [best, bestRate] = [ch, r];
  }
  return best;
}

/**
 * Channel: the share of messages sent on the recipient's preferred channel, among
 * recipients whose preference is known, times the engagement on it relative to the
 * engagement overall (capped at 1): the right channel that also works.
 */
export function channel(ms: readonly SentMessage[], preferred: ReadonlyMap<string, string | null>) {
  const known = ms.filter((m) => (preferred.get(m.profileId) ?? null) !== null);
  const matched = known.filter((m) => preferred.get(m.profileId) === m.channel);
  if (known.length === 0) return { value: NO_EVIDENCE, known: 0, matched: 0, match: null };
  const match = matched.length / known.length;
  const overall = rate(known);
  const onPreferred = rate(matched);
  const works = overall === 0 ? 1 : Math.min(1, onPreferred / overall);
  return {
    value: r4(match * works),
    known: known.length,
    matched: matched.length,
    match: r4(match),
  };
}

/** Data quality: the mean over people reached of (identified + consent recorded + completeness) / 3. */
export function dataQuality(people: readonly PersonQuality[]) {
  if (people.length === 0) return { value: NO_EVIDENCE, people: 0 };
  const each = people.map(
    (p) => ((p.identified ? 1 : 0) + (p.consentRecorded ? 1 : 0) + p.completeness) / 3,
  );
  return { value: r4(each.reduce((s, x) => s + x, 0) / each.length), people: people.length };
}

/** The four factors and their product for one set of messages. */
export function effectiveness(
  ms: readonly SentMessage[],
  quality: ReadonlyMap<string, PersonQuality>,
  preferred: ReadonlyMap<string, string | null>,
) {
  const reached = [...new Set(ms.map((m) => m.profileId))].flatMap((id) => {
    const q = quality.get(id);
    return q ? [q] : [];
  });
  const factors = {
    relevance: relevance(ms),
    timing: timing(ms),
    channel: channel(ms, preferred),
    dataQuality: dataQuality(reached),
  };
  const score =
    factors.relevance.value *
    factors.timing.value *
    factors.channel.value *
    factors.dataQuality.value;
  return { score: r4(score), messages: ms.length, factors };
}
