import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { RateLimitedError } from '../../src/shared/errors.js';
import { RateLimiter, type RateLimits } from '../../src/server/rate-limit.js';

const LIMITS: RateLimits = {
  write: { perSecond: 2, burst: 2 },
  read: { perSecond: 0, burst: 1 },
  admin: { perSecond: 1, burst: 1 },
  preview: { perSecond: 0.25, burst: 1 },
  public: { perSecond: 1, burst: 2 },
};

const refusal = (fn: () => void): RateLimitedError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RateLimitedError) return error;
    throw error;
  }
  throw new Error('expected a 429');
};

describe('RateLimiter', () => {
  it('lets a burst through, then one request per refill, and says when to retry', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(LIMITS, clock);
    limiter.take('k', 'write');
    limiter.take('k', 'write');
    const e = refusal(() => limiter.take('k', 'write'));
    expect(e).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 1 });
    clock.advance(499);
    expect(() => limiter.take('k', 'write')).toThrow(RateLimitedError);
    clock.advance(1);
    limiter.take('k', 'write');
  });

  it('rounds the wait up to whole seconds, at least 1', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(LIMITS, clock);
    limiter.take('k', 'preview');
    expect(refusal(() => limiter.take('k', 'preview')).retryAfterSeconds).toBe(4);
    clock.advance(3_001);
    expect(refusal(() => limiter.take('k', 'preview')).retryAfterSeconds).toBe(1);
  });

  it('has no limit at a rate of 0', () => {
    const limiter = new RateLimiter(LIMITS, new ManualClock(0));
    for (let i = 0; i < 10_000; i++) limiter.take('k', 'read');
  });

  it('refills nothing, and takes nothing away, when the clock goes back', () => {
    const clock = new ManualClock(10_000);
    const limiter = new RateLimiter(LIMITS, clock);
    limiter.take('k', 'admin');
    clock.set(0);
    expect(() => limiter.take('k', 'admin')).toThrow(RateLimitedError);
    clock.advance(1000);
    limiter.take('k', 'admin');
  });

  it('forgets idle keys once it holds many, and keeps the ones still limited', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(LIMITS, clock);
    limiter.take('busy', 'admin');
    for (let i = 0; i < 10_000; i++) limiter.take(`k${i}`, 'write');
    clock.advance(500);
    expect(limiter.size).toBe(10_001);
    limiter.take('new', 'write'); // past 10,000 buckets: full ones are dropped
    expect(limiter.size).toBe(2);
    expect(() => limiter.take('busy', 'admin')).toThrow(RateLimitedError);
  });

  it("caps a public key's per-address buckets, forgetting the oldest addresses", () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(LIMITS, clock);
    limiter.take('busy', 'admin');
    for (let i = 0; i < 10_000; i++) limiter.take(`key_p|10.0.${i >> 8}.${i & 255}`, 'public');
    limiter.take('key_p|192.0.2.1', 'public');
    expect(limiter.size).toBe(7_502);
    expect(() => limiter.take('busy', 'admin')).toThrow(RateLimitedError);
  });
});
