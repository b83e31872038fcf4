import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationMs } from './duration.js';
import type { CapCandidate, FrequencyCap, RecentSend } from './frequency-caps.js';
import { applyFrequencyCaps } from './frequency-caps.js';
import type { QuietHours } from './quiet-hours.js';
import {
  QuietHours as QuietHoursSchema,
  applyQuietHours,
  isQuietAt,
  nextAllowedAt,
} from './quiet-hours.js';
import { chooseSendTime } from './send-time.js';
import { Zone } from '../../shared/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (t: number) => new Date(t).toISOString();

describe('durationMs', () => {
  it.each([
    ['PT16H', 16 * HOUR],
    ['P7D', 7 * DAY],
    ['P1W', 7 * DAY],
    ['P1DT12H', 36 * HOUR],
    ['PT30M', 30 * MIN],
    ['PT45S', 45_000],
    ['P1M', null],
    ['P1Y', null],
    ['P', null],
    ['PT', null],
    ['P1DT', null],
    ['PT0S', null],
    ['16h', null],
  ])('%s', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });
});

describe('quiet hours', () => {
  const night: QuietHours = { start: '21:00', end: '08:00' };

  it.each([
    [
      'before quiet hours, sent now',
      'Europe/Paris',
      '2026-03-28T19:00:00Z',
      night,
      '2026-03-28T19:00:00.000Z',
    ],
    [
      'deferred over the spring-forward night to 08:00 CEST',
      'Europe/Paris',
      '2026-03-28T22:00:00Z',
      night,
      '2026-03-29T06:00:00.000Z',
    ],
    [
      'a minute before the end',
      'Europe/Paris',
      '2026-03-29T05:59:00Z',
      night,
      '2026-03-29T06:00:00.000Z',
    ],
    [
      'deferred over the fall-back night to 08:00 CET',
      'Europe/Paris',
      '2026-10-24T20:00:00Z',
      night,
      '2026-10-25T07:00:00.000Z',
    ],
    [
      'an end skipped by the clocks ends at the jump',
      'Europe/Paris',
      '2026-03-28T22:30:00Z',
      { start: '22:00', end: '02:30' },
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'New York spring forward',
      'America/New_York',
      '2026-03-08T04:00:00Z',
      night,
      '2026-03-08T12:00:00.000Z',
    ],
    [
      'New York fall back',
      'America/New_York',
      '2026-11-01T04:00:00Z',
      night,
      '2026-11-01T13:00:00.000Z',
    ],
    [
      'a daytime window',
      'Asia/Kolkata',
      '2026-06-01T07:00:00Z',
      { start: '12:00', end: '14:00' },
      '2026-06-01T08:30:00.000Z',
    ],
    ['the start itself is quiet', 'UTC', '2026-06-01T21:00:00Z', night, '2026-06-02T08:00:00.000Z'],
    ['the end itself is not', 'UTC', '2026-06-02T08:00:00Z', night, '2026-06-02T08:00:00.000Z'],
    [
      'a start with seconds past the minute ends on the minute',
      'Australia/Lord_Howe',
      '2026-07-05T13:33:01Z',
      { start: '00:00', end: '00:15' },
      '2026-07-05T13:45:00.000Z',
    ],
  ])('%s', (_name, zone, at, quiet, expected) => {
    expect(iso(nextAllowedAt(Date.parse(at), quiet, zone))).toBe(expected);
  });

  it('ends at the first 01:30 when the clocks repeat it, and is quiet again in the repeat', () => {
    const quiet = { start: '22:00', end: '01:30' };
    const at = nextAllowedAt(Date.parse('2026-11-01T03:00:00Z'), quiet, 'America/New_York');
    expect(iso(at)).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    // At 06:00Z it is 01:00 EST: inside 22:00–01:30 again, on the wall clock.
    expect(isQuietAt(Date.parse('2026-11-01T06:10:00Z'), quiet, 'America/New_York')).toBe(true);
  });

  it('defers or drops', () => {
    const t = Date.parse('2026-03-28T22:00:00Z');
    expect(applyQuietHours(t, night, 'Europe/Paris', 'defer')).toEqual({
      kind: 'defer',
      at: Date.parse('2026-03-29T06:00:00Z'),
    });
    expect(applyQuietHours(t, night, 'Europe/Paris', 'drop')).toEqual({
      kind: 'drop',
      until: Date.parse('2026-03-29T06:00:00Z'),
    });
    expect(applyQuietHours(t, undefined, 'Europe/Paris', 'drop')).toEqual({ kind: 'send', at: t });
    expect(applyQuietHours(t - 3 * HOUR, night, 'Europe/Paris', 'drop')).toEqual({
      kind: 'send',
      at: t - 3 * HOUR,
    });
  });

  it('validates its definition', () => {
    expect(
      QuietHoursSchema.safeParse({ start: '21:00', end: '21:00' }).error?.issues[0]?.message,
    ).toBe('start and end must differ');
    expect(
      QuietHoursSchema.safeParse({ start: '9:00', end: '21:00' }).error?.issues[0]?.path,
    ).toEqual(['start']);
  });

  it('over three weeks across the spring change, defers exactly to 08:00 local', () => {
    const zone = new Zone('Europe/Paris');
    let deferred = 0;
    // From 08:00 CET on 20 March to 08:00 CEST on 10 April: 21 whole nights.
    for (
      let t = Date.parse('2026-03-20T07:00:00Z');
      t < Date.parse('2026-04-10T06:00:00Z');
      t += 15 * MIN
    ) {
      const at = nextAllowedAt(t, night, 'Europe/Paris');
      const wall = zone.local(at);
      if (at === t) {
        expect(wall.hour >= 8 && wall.hour < 21).toBe(true);
      } else {
        deferred++;
        expect([wall.hour, wall.minute, wall.second]).toEqual([8, 0, 0]);
        expect(at - t).toBeLessThanOrEqual(11 * HOUR);
      }
    }
    // 11 quiet hours a night, 4 quarter-hours each, 21 nights, less the hour skipped on
    // the night of 28-29 March (4 quarter-hours that do not exist).
    expect(deferred).toBe(11 * 4 * 21 - 4);
  });

  it('gives the first allowed minute at or after any instant, in any zone (property)', () => {
    const zones = [
      'Europe/Paris',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Australia/Sydney',
      'UTC',
    ];
    const hhmm = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 0, max: 95 }),
        fc.integer({ min: 0, max: 95 }),
        fc.constantFrom(...zones),
        (t, s, e, zone) => {
          fc.pre(s !== e);
          const quiet = { start: hhmm(s * 15), end: hhmm(e * 15) };
          const at = nextAllowedAt(t, quiet, zone);
          expect(at).toBeGreaterThanOrEqual(t);
          expect(isQuietAt(at, quiet, zone)).toBe(false);
          // Every whole minute between t and the answer is quiet.
          for (let m = Math.ceil(t / MIN) * MIN; m < at; m += MIN) {
            expect(isQuietAt(m, quiet, zone)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('chooseSendTime', () => {
  const paris = 'Europe/Paris';
  it.each([
    [
      'later today',
      { now: Date.parse('2026-03-14T09:30:00Z'), bestHour: 19 },
      '2026-03-14T18:00:00.000Z',
      'person',
      'best_hour',
    ],
    [
      'tomorrow when the hour has passed',
      { now: Date.parse('2026-03-14T19:00:00Z'), bestHour: 19 },
      '2026-03-15T18:00:00.000Z',
      'person',
      'best_hour',
    ],
    [
      'now when inside the best hour',
      { now: Date.parse('2026-03-14T18:10:00Z'), bestHour: 19 },
      '2026-03-14T18:10:00.000Z',
      'person',
      'in_best_hour',
    ],
    [
      'across the spring change',
      { now: Date.parse('2026-03-28T19:30:00Z'), bestHour: 19 },
      '2026-03-29T17:00:00.000Z',
      'person',
      'best_hour',
    ],
    [
      'an hour skipped by the clocks',
      { now: Date.parse('2026-03-28T22:00:00Z'), bestHour: 2 },
      '2026-03-29T01:00:00.000Z',
      'person',
      'best_hour',
    ],
    [
      'the workspace hour when the person has none',
      { now: Date.parse('2026-03-14T09:30:00Z'), bestHour: null, workspaceBestHour: 9 },
      '2026-03-15T08:00:00.000Z',
      'workspace',
      'best_hour',
    ],
    [
      'an invalid person hour falls back',
      { now: Date.parse('2026-03-14T09:30:00Z'), bestHour: 25, workspaceBestHour: 12 },
      '2026-03-14T11:00:00.000Z',
      'workspace',
      'best_hour',
    ],
    [
      'now without any best hour',
      { now: Date.parse('2026-03-14T09:30:00Z') },
      '2026-03-14T09:30:00.000Z',
      'none',
      'no_best_hour',
    ],
    [
      'the window end nearest the hour',
      { now: Date.parse('2026-03-14T09:30:00Z'), bestHour: 19, windowMs: 4 * HOUR },
      '2026-03-14T13:30:00.000Z',
      'person',
      'closest_in_window',
    ],
    [
      'now when it is nearer',
      { now: Date.parse('2026-03-14T19:30:00Z'), bestHour: 19, windowMs: 4 * HOUR },
      '2026-03-14T19:30:00.000Z',
      'person',
      'closest_in_window',
    ],
  ])('%s', (_name, input, at, source, reason) => {
    const decision = chooseSendTime({ timeZone: paris, windowMs: DAY, ...input });
    expect({ at: iso(decision.at), source: decision.source, reason: decision.reason }).toEqual({
      at,
      source,
      reason,
    });
  });

  it('always lands within the window (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 3 * DAY }),
        fc.constantFrom('Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'UTC'),
        (now, bestHour, windowMs, timeZone) => {
          const d = chooseSendTime({ now, timeZone, bestHour, windowMs });
          expect(d.at).toBeGreaterThanOrEqual(now);
          expect(d.at).toBeLessThanOrEqual(now + windowMs);
          if (windowMs >= DAY + HOUR)
            expect(d.reason === 'best_hour' || d.reason === 'in_best_hour').toBe(true);
          if (d.reason === 'best_hour')
            expect(new Zone(timeZone).local(d.at).hour).toBeGreaterThanOrEqual(bestHour);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('applyFrequencyCaps', () => {
  const NOW = Date.UTC(2026, 5, 10, 12);
  const caps: FrequencyCap[] = [
    { channel: 'email', max: 1, per: 'PT16H' },
    { channel: 'email', max: 3, per: 'P7D' },
  ];
  const email = (
    id: string,
    priority: CapCandidate['priority'],
    createdAt?: number,
  ): CapCandidate => ({
    id,
    channel: 'email',
    priority,
    ...(createdAt === undefined ? {} : { createdAt }),
  });

  it('lets the highest priority win and caps the others with the rule and when they would fit', () => {
    const result = applyFrequencyCaps(
      caps,
      [],
      [email('a', 'low', 1), email('b', 'high', 3), email('c', 'normal', 2)],
      NOW,
    );
    expect(result.send.map((c) => c.id)).toEqual(['b']);
    expect(result.capped.map((c) => [c.candidate.id, c.capIndex, c.retryAt - NOW])).toEqual([
      ['c', 0, 16 * HOUR],
      ['a', 0, 16 * HOUR],
    ]);
  });

  it('breaks ties by age, then id', () => {
    const r = applyFrequencyCaps(
      caps,
      [],
      [email('z', 'normal', 5), email('y', 'normal', 5), email('x', 'normal', 9)],
      NOW,
    );
    expect(r.send.map((c) => c.id)).toEqual(['y']);
    expect(r.capped.map((c) => c.candidate.id)).toEqual(['z', 'x']);
  });

  it('counts recent sends: a send 10 h ago holds the next for 6 h', () => {
    const r = applyFrequencyCaps(
      caps,
      [{ channel: 'email', at: NOW - 10 * HOUR }],
      [email('a', 'high')],
      NOW,
    );
    expect(r.send).toEqual([]);
    expect(r.capped[0]).toMatchObject({ capIndex: 0, retryAt: NOW + 6 * HOUR });
    // Exactly 16 h later the window has moved past it.
    expect(
      applyFrequencyCaps(
        caps,
        [{ channel: 'email', at: NOW - 16 * HOUR }],
        [email('a', 'high')],
        NOW,
      ).send,
    ).toHaveLength(1);
  });

  it('applies the weekly cap and says when it frees up', () => {
    const recent: RecentSend[] = [1, 2, 3].map((d) => ({ channel: 'email', at: NOW - d * DAY }));
    const r = applyFrequencyCaps(caps, recent, [email('a', 'high')], NOW);
    expect(r.capped[0]).toMatchObject({ capIndex: 1, cap: caps[1], retryAt: NOW + 4 * DAY });
  });

  it('keeps channels apart and lets transactional messages through uncounted', () => {
    const r = applyFrequencyCaps(
      caps,
      [{ channel: 'email', at: NOW - HOUR, transactional: true }],
      [
        { id: 'receipt', channel: 'email', transactional: true },
        email('promo', 'low'),
        { id: 'push1', channel: 'push' },
      ],
      NOW,
    );
    expect(r.send.map((c) => c.id).sort()).toEqual(['promo', 'push1', 'receipt']);
  });

  it('over three weeks of hourly candidates sends exactly at the hours the caps allow', () => {
    const start = Date.UTC(2026, 0, 5);
    const recent: RecentSend[] = [];
    const sentHours: number[] = [];
    for (let h = 0; h < 21 * 24; h++) {
      const now = start + h * HOUR;
      const candidates = [email(`cart_${h}`, 'high', now), email(`news_${h}`, 'low', now)];
      const r = applyFrequencyCaps(caps, recent, candidates, now);
      for (const c of r.send) {
        recent.push({ channel: 'email', at: now });
        sentHours.push(h);
        expect(c.id).toBe(`cart_${h}`);
      }
    }
    // 1 per 16 h lets three through in the first 32 h; then 3 per 7 days holds until the
    // first send leaves the week (hour 168), and so on.
    expect(sentHours).toEqual([0, 16, 32, 168, 184, 200, 336, 352, 368]);
  });

  const candidateArb = fc.record({
    id: fc.uuid(),
    channel: fc.constantFrom('email' as const, 'push' as const),
    priority: fc.constantFrom('low' as const, 'normal' as const, 'high' as const),
    createdAt: fc.integer({ min: 0, max: 100 }),
  });
  const capsArb = fc.array(
    fc.record({
      channel: fc.constantFrom('email' as const, 'push' as const),
      max: fc.integer({ min: 1, max: 3 }),
      per: fc.constantFrom('PT1H', 'PT16H', 'P1D', 'P7D'),
    }),
    { maxLength: 4 },
  );
  const recentArb = fc.array(
    fc.record({
      channel: fc.constantFrom('email' as const, 'push' as const),
      at: fc.integer({ min: NOW - 8 * DAY, max: NOW }),
    }),
    { maxLength: 8 },
  );
  const fits = (
    capList: FrequencyCap[],
    sends: RecentSend[],
    channel: 'email' | 'push',
    t: number,
  ) =>
    capList.every(
      (c) =>
        c.channel !== channel ||
        sends.filter((s) => s.channel === channel && s.at > t - durationMs(c.per)!).length < c.max,
    );

  it('respects every cap, caps only what would break one, and retryAt is the first fit (property)', () => {
    fc.assert(
      fc.property(
        capsArb,
        recentArb,
        fc.array(candidateArb, { maxLength: 6 }),
        (capList, recent, candidates) => {
          const r = applyFrequencyCaps(capList, recent, candidates, NOW);
          expect(r.send.length + r.capped.length).toBe(candidates.length);
          const after = [...recent, ...r.send.map((c) => ({ channel: c.channel, at: NOW }))];
          for (const c of capList) {
            const count = after.filter(
              (s) => s.channel === c.channel && s.at > NOW - durationMs(c.per)!,
            ).length;
            const before = recent.filter(
              (s) => s.channel === c.channel && s.at > NOW - durationMs(c.per)!,
            ).length;
            expect(count).toBeLessThanOrEqual(Math.max(c.max, before));
          }
          for (const { candidate, retryAt } of r.capped) {
            expect(fits(capList, after, candidate.channel, NOW)).toBe(false);
            expect(fits(capList, after, candidate.channel, retryAt)).toBe(true);
            expect(fits(capList, after, candidate.channel, retryAt - 1)).toBe(false);
          }
        },
      ),
    );
  });
});
