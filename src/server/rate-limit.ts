import type { RateLimitSettings } from '../config/index.js';
import { RateLimitedError, type Clock } from '../shared/index.js';

/**
 * Which limit a route counts against: its scope's, or `preview` for the calls that spend
 * seconds of work each (template preview, segment preview, journey simulation).
 */
export type RateClass = 'write' | 'read' | 'admin' | 'preview' | 'public';

export interface RateLimit {
  /** Tokens added per second; 0 turns the limit off. */
  perSecond: number;
  /** The most tokens a bucket holds: requests a key may send at once after a pause. */
  burst: number;
}

export type RateLimits = Record<RateClass, RateLimit>;

const ENV: Record<RateClass, string> = {
  write: 'WRITE',
  read: 'READ',
  admin: 'ADMIN',
  preview: 'PREVIEW',
  public: 'PUBLIC',
};

/** The limits from the configuration's settings. */
export function rateLimitsOf(s: RateLimitSettings): RateLimits {
  return {
    write: { perSecond: s.rateLimitWritePerSecond, burst: s.rateLimitWriteBurst },
    read: { perSecond: s.rateLimitReadPerSecond, burst: s.rateLimitReadBurst },
    admin: { perSecond: s.rateLimitAdminPerSecond, burst: s.rateLimitAdminBurst },
    preview: { perSecond: s.rateLimitPreviewPerSecond, burst: s.rateLimitPreviewBurst },
    public: { perSecond: s.rateLimitPublicPerSecond, burst: s.rateLimitPublicBurst },
  };
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Past this many buckets, full ones (keys idle long enough to refill) are dropped. */
const MAX_BUCKETS = 10_000;

/**
 * Token buckets per API key and route class, in this process's memory: each process
 * counts on its own, so N API processes let a key through N times the configured rate.
 * Buckets exist only for keys that authenticated, so their number is bounded by the keys
 * in use, except a public key's per-address buckets (`<keyId>|<ip>`, class `public`),
 * which are capped at MAX_BUCKETS by forgetting the oldest.
 *
 * @example
 * const limiter = new RateLimiter(rateLimitsOf(DEFAULTS), systemClock);
 * limiter.take(principal.keyId, 'write'); // throws RateLimitedError (429) past the burst
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: RateLimits,
    private readonly clock: Clock,
  ) {}

  /** Spends one request of the key's `cls` budget, or throws a 429 saying when to retry. */
  take(keyId: string, cls: RateClass): void {
    const limit = this.limits[cls];
    if (limit.perSecond <= 0) return;
    const now = this.clock.now();
    const id = `${cls}:${keyId}`;
    const bucket = this.buckets.get(id) ?? this.newBucket(id, limit, now);
    // A clock set back (tests, NTP) refills nothing rather than draining the bucket.
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (elapsed / 1000) * limit.perSecond);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
    const env = `RAPPORT_RATE_LIMIT_${ENV[cls]}`;
    throw new RateLimitedError(
      `Too many requests with this API key: the ${cls} limit is ${limit.perSecond} per second, ` +
        `in bursts of up to ${limit.burst}. Retry after ${wait} s.`,
      wait,
      [
        {
          path: `rateLimit.${cls}`,
          problem: `${limit.perSecond} requests per second, burst ${limit.burst} (${env}_PER_SECOND, ${env}_BURST)`,
        },
      ],
    );
  }

  /** How many buckets are held (tests). */
  get size(): number {
    return this.buckets.size;
  }

  private newBucket(id: string, limit: RateLimit, now: number): Bucket {
    if (this.buckets.size >= MAX_BUCKETS) this.dropFull(now);
    // Public keys get a bucket per client address, which clients choose: when none is
    // full yet, forget the oldest quarter of those rather than grow without bound (a
    // forgotten address starts again from a full burst; keys' own buckets are kept).
    if (this.buckets.size >= MAX_BUCKETS) {
      let n = MAX_BUCKETS / 4;
      for (const key of this.buckets.keys()) {
        if (n <= 0) break;
        if (!key.startsWith('public:')) continue;
        this.buckets.delete(key);
        n--;
      }
    }
    const bucket = { tokens: limit.burst, at: now };
    this.buckets.set(id, bucket);
    return bucket;
  }

  private dropFull(now: number): void {
    for (const [id, b] of this.buckets) {
      const limit = this.limits[id.slice(0, id.indexOf(':')) as RateClass];
      if (b.tokens + ((now - b.at) / 1000) * limit.perSecond >= limit.burst) {
        this.buckets.delete(id);
      }
    }
  }
}
