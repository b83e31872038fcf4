import { z } from 'zod';

/**
 * When to retry a delivery that failed for a passing reason. Shared by every channel:
 * e-mail (4xx, connection errors), web push (429, 5xx) and webhooks (timeouts, 5xx).
 */
export const RetryPolicy = z.strictObject({
  /** The first retry's ceiling; each later one doubles it. */
  baseMs: z.number().int().positive().default(30_000),
  /** No delay exceeds this (before a server's Retry-After). */
  maxDelayMs: z
    .number()
    .int()
    .positive()
    .default(6 * 3_600_000),
  /** No retry comes sooner than this. */
  minDelayMs: z.number().int().nonnegative().default(1_000),
  /** Attempts in all, the first included; after the last the message is dead-lettered. */
  maxAttempts: z.number().int().min(1).max(100).default(8),
  /** The longest Retry-After a server may ask for before it is capped. */
  maxRetryAfterMs: z
    .number()
    .int()
    .positive()
    .default(24 * 3_600_000),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = RetryPolicy.parse({});

/**
 * The instant of the next attempt after `attempt` attempts have failed (1 after the
 * first), or `null` when none is left and the shell should dead-letter the message.
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
 * Jitter", 2015): a uniform draw in [0, min(maxDelay, base·2^(attempt−1))], floored at
 * `minDelayMs`, so retries of many messages after one outage spread out instead of
 * arriving together. A server's `Retry-After` is a floor.
 *
 * @example nextRetryAt(1, now, seededRandom('msg_1')) // now + up to 30 s
 * @example nextRetryAt(8, now, Math.random)            // null: dead-letter
 */
export function nextRetryAt(
  attempt: number,
  now: number,
  rng: () => number,
  options: { policy?: RetryPolicy; retryAfterMs?: number | undefined } = {},
): number | null {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1 (got ${attempt})`);
  }
  if (attempt >= policy.maxAttempts) return null;
  // 2^(attempt-1) overflows nothing before the cap: the exponent is bounded by maxAttempts.
  const ceiling = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** (attempt - 1));
  let delay = Math.max(policy.minDelayMs, Math.floor(rng() * ceiling));
  if (options.retryAfterMs !== undefined && options.retryAfterMs > 0) {
    delay = Math.max(delay, Math.min(options.retryAfterMs, policy.maxRetryAfterMs));
  }
  return now + delay;
}

/**
 * Reads an HTTP `Retry-After` header (delay-seconds or an HTTP-date) as milliseconds
 * from `now`; `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
