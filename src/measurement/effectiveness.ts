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
 * Each person's baseline: the share of all the messages they were sent in the window (any
 * journey, any channel) that they engaged with at all, however late. It says how much
 * engagement this person gives, whoever sends and whenever.
 */
export function engagementBaselines(ms: readonly SentMessage[]): Map<string, number> {
  const sent = new Map<string, number>();
  const engaged = new Map<string, number>();
  for (const m of ms) {
    sent.set(m.profileId, (sent.get(m.profileId) ?? 0) + 1);
    if (m.engagedAt !== null) engaged.set(m.profileId, (engaged.get(m.profileId) ?? 0) + 1);
  }
  return new Map([...sent].map(([p, n]) => [p, (engaged.get(p) ?? 0) / n]));
}

/**
 * Timing: engagement within 4 hours of sending against the people's baseline,
 * min(1, O / E). O counts the messages engaged within 4 hours; E is what the recipients
 * give as a rule, the sum over messages of their person's baseline (engagementBaselines).
 * Messages that land while people are there earn all the engagement those people usually
 * give, promptly: 1. The same people engaging only days later, or less than usual: toward
 * 0. People who never engage with anything are no evidence (E = 0: 0.5).
 */
export function timing(ms: readonly SentMessage[], baselines: ReadonlyMap<string, number>) {
  const engaged = ms.filter((m) => m.engagedAt !== null);
  const timely = engaged.filter((m) => m.engagedAt! - m.sentAt <= TIMELY_MS);
  const expected = ms.reduce((s, m) => s + (baselines.get(m.profileId) ?? 0), 0);
  const value = expected === 0 ? NO_EVIDENCE : Math.min(1, timely.length / expected);
  return {
    value: r4(value),
    engaged: engaged.length,
    withinHours: timely.length,
    expected: r4(expected),
  };
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

/**
 * The four factors and their product for one set of messages; `baselines` are the
 * recipients' (from all their messages in the window, not only these).
 */
export function effectiveness(
  ms: readonly SentMessage[],
  quality: ReadonlyMap<string, PersonQuality>,
  preferred: ReadonlyMap<string, string | null>,
  baselines: ReadonlyMap<string, number> = engagementBaselines(ms),
) {
  const reached = [...new Set(ms.map((m) => m.profileId))].flatMap((id) => {
    const q = quality.get(id);
    return q ? [q] : [];
  });
  const factors = {
    relevance: relevance(ms),
    timing: timing(ms, baselines),
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
