import { describe, expect, it } from 'vitest';
import {
  effectiveness,
  engagementBaselines,
  preferredChannel,
  timing,
} from '../../src/measurement/effectiveness.js';
import { maturity } from '../../src/measurement/maturity.js';
import type { SentMessage } from '../../src/messaging/index.js';

const H = 3_600_000;
let n = 0;
const msg = (over: Partial<SentMessage>): SentMessage => ({
  id: `m${++n}`,
  profileId: 'p0',
  journeyId: null,
  channel: 'email',
  sentAt: 0,
  personalized: true,
  blockKinds: [],
  sendTimeOptimized: false,
  engagedAt: null,
  ...over,
});
/** `count` messages of a journey, spread over `people` people. */
const journey = (
  journeyId: string,
  count: number,
  people: number,
  over: Partial<SentMessage> = {},
) =>
  Array.from({ length: count }, (_, i) =>
    msg({ journeyId, profileId: `${journeyId}-${i % people}`, ...over }),
  );

describe('maturity', () => {
  it('is One>>All when most messages go to most of the base', () => {
    const r = maturity({
      messages: journey('blast', 80, 80),
      people: 100,
      controlledExperiments: 0,
    });
    expect(r.level).toBe('One>>All');
    expect(r.evidence.shares).toEqual({
      broadcast: 1,
      segment: 0,
      micro_segment: 0,
      individual: 0,
    });
    expect(r.nextStep).toMatch(/Target segments/);
  });

  it('is One>>Many when half the messages go to segments', () => {
    // 20 of 100 people: a segment; 10 messages without a journey: broadcasts.
    const r = maturity({
      messages: [...journey('seg', 20, 20), ...Array.from({ length: 10 }, () => msg({}))],
      people: 100,
      controlledExperiments: 0,
    });
    expect(r.level).toBe('One>>Many');
    expect(r.evidence.counts).toEqual({
      broadcast: 10,
      segment: 20,
      micro_segment: 0,
      individual: 0,
    });
    expect(r.nextStep).toMatch(/micro-segments/);
  });

  it('is One>>Few with 30% of messages to audiences under 5% of the base', () => {
    const r = maturity({
      messages: [...journey('seg', 20, 20), ...journey('vip', 10, 3)],
      people: 100,
      controlledExperiments: 0,
    });
    expect(r.level).toBe('One>>Few');
    expect(r.evidence.shares.micro_segment).toBe(0.3333);
    expect(r.nextStep).toMatch(/\{% recommend %\} blocks, \{% offer %\} blocks, send-time/);
  });

  it('is One>>One only with individual messages and lift measured against a control', () => {
    const messages = [
      ...journey('seg', 15, 15),
      ...journey('recs', 10, 10, { blockKinds: ['recommend'] }),
      ...journey('sto', 5, 5, { sendTimeOptimized: true }),
    ];
    const unmeasured = maturity({ messages, people: 100, controlledExperiments: 0 });
    expect(unmeasured.level).toBe('One>>Few');
    expect(unmeasured.evidence.shares.individual).toBe(0.5);
    expect(unmeasured.nextStep).toMatch(/holdout/);
    const measured = maturity({ messages, people: 100, controlledExperiments: 1 });
    expect(measured.level).toBe('One>>One');
    expect(measured.evidence.uses).toEqual({
      recommendations: true,
      offers: false,
      sendTimeOptimization: true,
      liftMeasuredWithControl: true,
    });
  });

  it('is One>>All with no messages at all', () => {
    const r = maturity({ messages: [], people: 0, controlledExperiments: 0 });
    expect(r.level).toBe('One>>All');
    expect(r.evidence.messages).toBe(0);
  });
});

describe('effectiveness', () => {
  // A: identified, consent recorded, complete. B: a device, nothing said, half complete.
  const quality = new Map([
    ['A', { identified: true, consentRecorded: true, completeness: 1, statedChannel: null }],
    ['B', { identified: false, consentRecorded: false, completeness: 0.5, statedChannel: null }],
  ]);
  const ms = [
    msg({ profileId: 'A', blockKinds: ['recommend'], engagedAt: 1 * H }),
    msg({ profileId: 'A', blockKinds: ['recommend'], engagedAt: 10 * H }),
    msg({ profileId: 'A', channel: 'push', personalized: false }),
    msg({ profileId: 'B', personalized: false, engagedAt: 2 * H }),
    msg({ profileId: 'B', personalized: false }),
  ];
  const preferred = new Map(
    ['A', 'B'].map((p) => [
      p,
      preferredChannel(
        ms.filter((m) => m.profileId === p),
        null,
      ),
    ]),
  );

  it('computes each factor and their product by the documented formula', () => {
    expect(preferred).toEqual(
      new Map([
        ['A', 'email'],
        ['B', 'email'],
      ]),
    );
    const r = effectiveness(ms, quality, preferred);
    // Relevance: E_p = 2/2, E_c = 1/3 → 1 / (1 + 1/3).
    expect(r.factors.relevance.value).toBe(0.75);
    // Timing: baselines A 2/3, B 1/2 → E = 3 · 2/3 + 2 · 1/2 = 3; 2 within 4 hours.
    expect(r.factors.timing).toEqual({ value: 0.6667, engaged: 3, withinHours: 2, expected: 3 });
    // Channel: 4 of 5 on the preferred channel; engagement there 3/4 ≥ overall 3/5 → × 1.
    expect(r.factors.channel).toMatchObject({ value: 0.8, known: 5, matched: 4 });
    // Data quality: A (1 + 1 + 1) / 3 = 1, B (0 + 0 + 0.5) / 3 → mean 0.5833.
    expect(r.factors.dataQuality).toEqual({ value: 0.5833, people: 2 });
    expect(r.score).toBe(0.2333);
  });

  it('is neutral (0.5) on a factor without evidence, and follows a stated channel', () => {
    const none = effectiveness([msg({ profileId: 'A' })], quality, new Map([['A', 'sms']]));
    expect(none.factors.relevance.value).toBe(0.5);
    expect(none.factors.timing.value).toBe(0.5);
    expect(none.factors.channel.value).toBe(0);
    expect(preferredChannel([msg({})], 'push')).toBe('push');
  });

  it("measures timing against each person's baseline from all their messages", () => {
    // P engages with 3 of their 4 messages (baseline 0.75), Q with 1 of 2 (0.5).
    const all = [
      msg({ profileId: 'P', journeyId: 'dull', engagedAt: 1 * H }),
      msg({ profileId: 'P', journeyId: 'dull' }),
      msg({ profileId: 'Q', journeyId: 'dull' }),
      msg({ profileId: 'P', journeyId: 'other', engagedAt: 2 * H }),
      msg({ profileId: 'P', journeyId: 'other', engagedAt: 3 * H }),
      msg({ profileId: 'Q', journeyId: 'other', engagedAt: 30 * H }),
    ];
    const baselines = engagementBaselines(all);
    expect(baselines).toEqual(
      new Map([
        ['P', 0.75],
        ['Q', 0.5],
      ]),
    );
    const of = (j: string) => all.filter((m) => m.journeyId === j);
    // dull: its one engaged message was prompt (the old "share of engaged within 4 h" said
    // 1), but P and Q usually give 0.75 + 0.75 + 0.5 = 2 engagements for these three.
    expect(timing(of('dull'), baselines)).toEqual({
      value: 0.5,
      engaged: 1,
      withinHours: 1,
      expected: 2,
    });
    // other: 2 prompt against 2 expected (Q's came after 30 hours): 1.
    expect(timing(of('other'), baselines)).toEqual({
      value: 1,
      engaged: 3,
      withinHours: 2,
      expected: 2,
    });
    // Overall: 3 prompt of the 4 these people give as a rule.
    expect(timing(all, baselines).value).toBe(0.75);
    // Prompt engagement beyond the baseline is capped at 1; nobody engaging is no evidence.
    expect(timing([msg({ profileId: 'P', engagedAt: H })], new Map([['P', 0.2]])).value).toBe(1);
    expect(timing([msg({ profileId: 'R' })], new Map([['R', 0]])).value).toBe(0.5);
  });
});
