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
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each(['', 'P', 'PT', '3D', 'P3', 'PT1.2345S', 'P1DT', 'p3d', 'P-1D'])('refuses %j', (text) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toContain('ISO 8601 duration');
  });

  it('refuses months and years with a hint to use days', () => {
    for (const text of ['P1M', 'P1Y', 'P1Y2M']) {
      const r = parseDuration(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problem).toMatch(/no fixed length.*P30D/);
    }
  });

  it('refuses durations over ten years', () => {
    expect(parseDuration('P3650D').ok).toBe(true);
    expect(parseDuration('P3651D').ok).toBe(false);
  });

  it('is usable as a zod schema with the problem as message', () => {
    const r = Duration.safeParse('1 hour');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain('"1 hour" is not an ISO 8601 duration');
  });
});
