import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationMs } from './duration.js';
import type { CapCandidate, FrequencyCap, RecentSend } from './frequency-caps.js';
import { applyFrequencyCaps } from './frequency-caps.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

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
