import { describe, expect, it } from 'vitest';
import { Duration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['PT24H', 24 * 3_600_000],
    ['P3D', 3 * 86_400_000],
    ['PT3S', 3000],
    ['PT0.5S', 500],
    ['P1W', 7 * 86_400_000],
    ['P1DT2H30M', 86_400_000 + 2 * 3_600_000 + 30 * 60_000],
    ['PT0S', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ kind: 'ok', ms });
  });

  it.each(['', 'P', 'PT', '3D', 'P3', 'PT1.2345S', 'P1DT', 'p3d', 'P-1D'])('refuses %j', (text) => {
    expect(parseDuration(text)).toEqual({
      kind: 'invalid',
      problem: expect.stringContaining('ISO 8601 duration'),
    });
  });

  it('refuses months and years with a hint to use days', () => {
    for (const text of ['P1M', 'P1Y', 'P1Y2M']) {
      expect(parseDuration(text)).toEqual({
        kind: 'invalid',
        problem: expect.stringMatching(/no fixed length.*P30D/),
      });
    }
  });

  it('refuses durations over ten years', () => {
    expect(parseDuration('P3650D')).toEqual({ kind: 'ok', ms: 3650 * 86_400_000 });
    expect(parseDuration('P3651D')).toEqual({
      kind: 'invalid',
      problem: '"P3651D" is longer than the maximum of 10 years (P3650D)',
    });
  });

  it('is usable as a zod schema with the problem as message', () => {
    const r = Duration.safeParse('1 hour');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain('"1 hour" is not an ISO 8601 duration');
  });
});
