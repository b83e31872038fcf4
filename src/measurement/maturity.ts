import type { SentMessage } from '../messaging/index.js';

/** The ladder, lowest first. */
export const LEVELS = ['One>>All', 'One>>Many', 'One>>Few', 'One>>One'] as const;
export type Level = (typeof LEVELS)[number];

/** Audience share of the base at or above which a journey is a broadcast. */
export const BROADCAST_SHARE = 0.5;
/** Audience share of the base below which a journey's audience is a micro-segment. */
export const MICRO_SHARE = 0.05;
/** Share of messages (at a level or above) a level needs. */
export const LEVEL_SHARE = { many: 0.5, few: 0.3, one: 0.3 } as const;

export type MessageKind = 'broadcast' | 'segment' | 'micro_segment' | 'individual';

/**
 * What one message was: individual when its template used a recommend or offer block or
 * its step asked for the person's best send hour; otherwise by its journey's audience,
 * the people the journey reached as a share of the base: at least half is a broadcast,
 * under 5% a micro-segment, in between a segment. A message without a journey is a
 * broadcast.
 */
export function kindOf(m: SentMessage, audienceShare: ReadonlyMap<string, number>): MessageKind {
  if (m.blockKinds.includes('recommend') || m.blockKinds.includes('offer') || m.sendTimeOptimized)
    return 'individual';
  const share = m.journeyId === null ? 1 : (audienceShare.get(m.journeyId) ?? 1);
  if (share >= BROADCAST_SHARE) return 'broadcast';
  if (share < MICRO_SHARE) return 'micro_segment';
  return 'segment';
}

export interface Uses {
  recommendations: boolean;
  offers: boolean;
  sendTimeOptimization: boolean;
  liftMeasuredWithControl: boolean;
}

export interface MaturityInput {
  messages: readonly SentMessage[];
  /** People in the workspace (the base). */
  people: number;
  /** Experiments with people in both their control and another arm. */
  controlledExperiments: number;
}

const r4 = (x: number) => Number(x.toFixed(4));

/**
 * The scorecard. Shares of messages by kind; a level is reached when enough messages are
 * at it or above: One>>Many at 50% segment-or-finer, One>>Few at 30% micro-or-individual,
 * One>>One at 30% individual *and* lift measured against a control (individual content
 * whose effect nobody measured is a claim, not a level).
 */
export function maturity(input: MaturityInput) {
  const reach = new Map<string, Set<string>>();
  for (const m of input.messages)
    if (m.journeyId !== null) {
      const set = reach.get(m.journeyId) ?? new Set<string>();
      set.add(m.profileId);
      reach.set(m.journeyId, set);
    }
  const base = Math.max(1, input.people);
  const audienceShare = new Map([...reach].map(([j, s]) => [j, s.size / base]));
  const counts = { broadcast: 0, segment: 0, micro_segment: 0, individual: 0 };
  for (const m of input.messages) counts[kindOf(m, audienceShare)]++;
  const total = input.messages.length;
  const share = (n: number) => (total === 0 ? 0 : n / total);
  const shares = {
    broadcast: r4(share(counts.broadcast)),
    segment: r4(share(counts.segment)),
    micro_segment: r4(share(counts.micro_segment)),
    individual: r4(share(counts.individual)),
  };
  const atLeastMany = share(counts.segment + counts.micro_segment + counts.individual);
  const atLeastFew = share(counts.micro_segment + counts.individual);
  const one = share(counts.individual);
  const uses: Uses = {
    recommendations: input.messages.some((m) => m.blockKinds.includes('recommend')),
    offers: input.messages.some((m) => m.blockKinds.includes('offer')),
    sendTimeOptimization: input.messages.some((m) => m.sendTimeOptimized),
    liftMeasuredWithControl: input.controlledExperiments > 0,
  };
  let level: Level = 'One>>All';
  if (atLeastMany >= LEVEL_SHARE.many) level = 'One>>Many';
  if (atLeastFew >= LEVEL_SHARE.few) level = 'One>>Few';
  if (one >= LEVEL_SHARE.one && uses.liftMeasuredWithControl) level = 'One>>One';
  return {
    level,
    evidence: {
      messages: total,
      people: input.people,
      counts,
      shares,
      uses,
      controlledExperiments: input.controlledExperiments,
    },
    nextStep: nextStep(level, uses, one),
  };
}

function nextStep(level: Level, uses: Uses, one: number): string {
  switch (level) {
    case 'One>>All':
      return 'Target segments: trigger journeys from a segment or a behaviour (cart abandonment, browse abandonment) instead of messaging everyone, until half of your messages go to an audience under half of your base.';
    case 'One>>Many':
      return 'Narrow audiences to micro-segments (under 5% of your base: a recent category browser, a lapsing VIP), or make messages individual, until 30% of messages are.';
    case 'One>>Few':
      if (one >= LEVEL_SHARE.one)
        return 'Measure it: give your individual journeys a holdout (holdoutPercent) so their lift is measured against a control.';
      return `Make messages individual: add ${uses.recommendations ? '' : '{% recommend %} blocks, '}${uses.offers ? '' : '{% offer %} blocks, '}${uses.sendTimeOptimization ? '' : 'send-time optimization (timing.bestHourWithin), '}until 30% of messages are individual; keep measuring lift with a control.`;
    default:
      return 'Keep the loop going: test variants (split steps, template experiments) against controls and watch the program report against the global control group.';
  }
}
