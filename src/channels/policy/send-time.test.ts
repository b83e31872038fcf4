import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseSendTime } from './send-time.js';
import { Zone } from '../../shared/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (t: number) => new Date(t).toISOString();

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
