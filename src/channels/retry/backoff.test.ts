import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, RetryPolicy, nextRetryAt, parseRetryAfter } from './backoff.js';

const NOW = Date.UTC(2026, 0, 1);

describe('nextRetryAt', () => {
  it('doubles the ceiling per attempt, up to the cap', () => {
    const top = () => 0.999_999_999;
    expect(nextRetryAt(1, NOW, top)).toBe(NOW + 29_999);
    expect(nextRetryAt(2, NOW, top)).toBe(NOW + 59_999);
    expect(nextRetryAt(3, NOW, top)).toBe(NOW + 119_999);
    const policy = RetryPolicy.parse({ maxAttempts: 30 });
    expect(nextRetryAt(20, NOW, top, { policy })).toBe(NOW + 6 * 3_600_000 - 1);
  });

  it('never retries sooner than the floor', () => {
    expect(nextRetryAt(1, NOW, () => 0)).toBe(NOW + 1_000);
  });

  it('dead-letters after the last attempt', () => {
    expect(nextRetryAt(7, NOW, () => 0.5)).not.toBeNull();
    expect(nextRetryAt(8, NOW, () => 0.5)).toBeNull();
    expect(
      nextRetryAt(1, NOW, () => 0.5, { policy: RetryPolicy.parse({ maxAttempts: 1 }) }),
    ).toBeNull();
  });

  it("honours a server's Retry-After as a floor, capped", () => {
    expect(nextRetryAt(1, NOW, () => 0, { retryAfterMs: 120_000 })).toBe(NOW + 120_000);
    expect(nextRetryAt(1, NOW, () => 0, { retryAfterMs: 10 * 86_400_000 })).toBe(NOW + 86_400_000);
  });

  it('refuses a nonsense attempt number', () => {
    expect(() => nextRetryAt(0, NOW, Math.random)).toThrow(RangeError);
  });

  it('stays within [floor, ceiling] for every attempt and draw (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, draw) => {
          const at = nextRetryAt(attempt, NOW, () => draw)!;
          const ceiling = Math.min(
            DEFAULT_RETRY_POLICY.maxDelayMs,
            DEFAULT_RETRY_POLICY.baseMs * 2 ** (attempt - 1),
          );
          expect(at - NOW).toBeGreaterThanOrEqual(DEFAULT_RETRY_POLICY.minDelayMs);
          expect(at - NOW).toBeLessThan(Math.max(ceiling, DEFAULT_RETRY_POLICY.minDelayMs + 1));
        },
      ),
    );
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Thu, 01 Jan 2026 00:01:00 GMT', 60_000],
    ['Wed, 31 Dec 2025 00:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%j', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });
});
