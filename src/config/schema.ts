import { z } from 'zod';

const ms = (min: number, max: number, fallback: number) =>
  z.coerce
    .number()
    .int('must be a whole number of milliseconds')
    .min(min, `must be at least ${min} ms`)
    .max(max, `must be at most ${max} ms`)
    .default(fallback);
const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int('must be a whole number').min(min).max(max).default(fallback);

const perSecond = (fallback: number) =>
  z.coerce
    .number()
    .min(0, 'must be 0 (no limit) or more')
    .max(1_000_000, 'must be at most 1000000')
    .default(fallback);

const MASTER_KEY = /^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/;
const MASTER_KEY_FORM =
  'must be 32 random bytes as base64 (44 characters: `openssl rand -base64 32`) or hex (64 characters)';

/** Every setting and its default, in one place. */
const Settings = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4700),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./.rapport'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  role: z.enum(['all', 'api', 'worker']).default('all'),
  adminKey: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * The one key that creates and lists workspaces (/v1/admin/workspaces) and can do
   * nothing else. Unset: workspaces are created with `rapport workspaces create` only.
   */
  platformKey: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * The master key for personal data at rest (docs/privacy.md): 32 random bytes, base64
   * or hex. Unset: personal data is stored in clear, and start-up says so.
   */
  encryptionKey: z.string().trim().regex(MASTER_KEY, MASTER_KEY_FORM).optional(),
  /** Old master keys during a rotation, comma-separated: they still open the data keys. */
  encryptionKeyPrevious: z
    .string()
    .trim()
    .regex(
      new RegExp(`^(${MASTER_KEY.source.slice(1, -1)})(,(${MASTER_KEY.source.slice(1, -1)}))*$`),
      `each (comma-separated) ${MASTER_KEY_FORM}`,
    )
    .optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Pool size for PostgreSQL connections per process. */
  dbPoolSize: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * How long a sender holds a message it is delivering; if the process dies, another
   * retries the message after this (at-least-once delivery, same Idempotency-Key).
   */
  outboxLeaseMs: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** smtp:// or smtps:// with auth and pool options; e-mail is not sent without it. */
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** The address people reach this server at: unsubscribe, preference and tracking links. */
  publicUrl: z
    .string()
    .regex(/^https?:\/\/[^/]+/, 'must be an http:// or https:// URL')
    .optional(),

  // HTTP limits: without them a client that sends headers or a body slowly (or never
  // finishes) holds a socket forever; Node checks them about every quarter of the
  // shortest timeout, so a request is closed at most ~25% after its limit.
  /** A request's headers must arrive within this (408 and close otherwise). */
  httpHeadersTimeoutMs: ms(100, 600_000, 10_000),
  /** The whole request, headers and body, must arrive within this (408 and close). */
  httpRequestTimeoutMs: ms(100, 3_600_000, 30_000),
  /**
   * An idle keep-alive connection is closed after this. Behind a load balancer that
   * reuses connections, set it above the balancer's own idle timeout.
   */
  httpKeepAliveTimeoutMs: ms(100, 600_000, 5_000),
  /**
   * A connection on which no byte moves either way for this long is destroyed: a client
   * that stops reading its answer. It also bounds a handler's silent work, so it stays
   * above the longest admin call (training 8,000 items with EASE takes about 2 minutes).
   */
  httpIdleTimeoutMs: ms(1_000, 3_600_000, 300_000),
  /** Open connections at once; further ones are closed as they arrive. */
  httpMaxConnections: count(1, 1_000_000, 1024),

  // Refused batch elements kept for GET /v1/admin/rejected: bounded so a client sending
  // garbage cannot fill the disk.
  /** Rows kept per workspace; refusals past it are counted in /metrics, not stored. */
  rejectedMaxPerWorkspace: count(0, 10_000_000, 10_000),
  /** A refused element's text is kept up to this many bytes, then cut with a marker. */
  rejectedMaxRawBytes: count(256, 1_048_576, 8 * 1024),
  /** Refusals older than this many days are deleted. */
  rejectedRetentionDays: count(1, 3650, 7),

  // Requests per API key, as a token bucket per key and route class in each process
  // (two API processes allow twice as much). A key refills at the rate per second up to
  // the burst; past it, 429 with Retry-After. A rate of 0 turns that class's limit off.
  /** Ingestion (/v1/track, /v1/batch, ...) and other write-scope routes. */
  rateLimitWritePerSecond: perSecond(500),
  rateLimitWriteBurst: count(1, 10_000_000, 1000),
  /** Read-scope routes: recommendations, profiles, events (serving aims at 1,000/s). */
  rateLimitReadPerSecond: perSecond(1000),
  rateLimitReadBurst: count(1, 10_000_000, 2000),
  /** Admin-scope routes. */
  rateLimitAdminPerSecond: perSecond(20),
  rateLimitAdminBurst: count(1, 10_000_000, 50),
  /**
   * Calls that spend seconds of work each: template preview (a render thread for up to
   * 1 s), segment preview and journey simulation (a scan of people).
   */
  rateLimitPreviewPerSecond: perSecond(1),
  rateLimitPreviewBurst: count(1, 10_000_000, 10),
  /**
   * A public (browser) key, per key and client address, on top of the key's write or read
   * limit: one visitor sends a few events a second, a scraper many more.
   */
  rateLimitPublicPerSecond: perSecond(10),
  rateLimitPublicBurst: count(1, 10_000_000, 50),
});

/** The settings, with the checks that span several of them. */
export const Config = Settings.refine((c) => c.httpHeadersTimeoutMs <= c.httpRequestTimeoutMs, {
  message: 'must not be longer than the request timeout (RAPPORT_HTTP_REQUEST_TIMEOUT_MS)',
  path: ['httpHeadersTimeoutMs'],
})
  .refine((c) => c.encryptionKeyPrevious === undefined || c.encryptionKey !== undefined, {
    message: 'needs RAPPORT_ENCRYPTION_KEY (the new master key) set too',
    path: ['encryptionKeyPrevious'],
  })
  .refine((c) => c.platformKey === undefined || c.platformKey !== c.adminKey, {
    // One secret for both would make the default workspace's admin the platform operator.
    message: 'must differ from the admin key (RAPPORT_ADMIN_KEY)',
    path: ['platformKey'],
  });
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;

/** Where each setting can come from: the flag and the environment variable. */
export const CONFIG_SOURCES: Record<keyof Config, { flag?: string; env: string }> = {
  port: { flag: '--port', env: 'RAPPORT_PORT' },
  host: { flag: '--host', env: 'RAPPORT_HOST' },
  dataDir: { flag: '--data', env: 'RAPPORT_DATA_DIR' },
  databaseUrl: { env: 'DATABASE_URL' },
  role: { flag: '--role', env: 'RAPPORT_ROLE' },
  adminKey: { env: 'RAPPORT_ADMIN_KEY' },
  platformKey: { env: 'RAPPORT_PLATFORM_KEY' },
  encryptionKey: { env: 'RAPPORT_ENCRYPTION_KEY' },
  encryptionKeyPrevious: { env: 'RAPPORT_ENCRYPTION_KEY_PREVIOUS' },
  logLevel: { flag: '--log-level', env: 'RAPPORT_LOG_LEVEL' },
  dbPoolSize: { env: 'RAPPORT_DB_POOL_SIZE' },
  outboxLeaseMs: { env: 'RAPPORT_OUTBOX_LEASE_MS' },
  smtpUrl: { env: 'SMTP_URL' },
  publicUrl: { env: 'RAPPORT_PUBLIC_URL' },
  httpHeadersTimeoutMs: { env: 'RAPPORT_HTTP_HEADERS_TIMEOUT_MS' },
  httpRequestTimeoutMs: { env: 'RAPPORT_HTTP_REQUEST_TIMEOUT_MS' },
  httpKeepAliveTimeoutMs: { env: 'RAPPORT_HTTP_KEEP_ALIVE_TIMEOUT_MS' },
  httpIdleTimeoutMs: { env: 'RAPPORT_HTTP_IDLE_TIMEOUT_MS' },
  httpMaxConnections: { env: 'RAPPORT_HTTP_MAX_CONNECTIONS' },
  rejectedMaxPerWorkspace: { env: 'RAPPORT_REJECTED_MAX_PER_WORKSPACE' },
  rejectedMaxRawBytes: { env: 'RAPPORT_REJECTED_MAX_RAW_BYTES' },
  rejectedRetentionDays: { env: 'RAPPORT_REJECTED_RETENTION_DAYS' },
  rateLimitWritePerSecond: { env: 'RAPPORT_RATE_LIMIT_WRITE_PER_SECOND' },
  rateLimitWriteBurst: { env: 'RAPPORT_RATE_LIMIT_WRITE_BURST' },
  rateLimitReadPerSecond: { env: 'RAPPORT_RATE_LIMIT_READ_PER_SECOND' },
  rateLimitReadBurst: { env: 'RAPPORT_RATE_LIMIT_READ_BURST' },
  rateLimitAdminPerSecond: { env: 'RAPPORT_RATE_LIMIT_ADMIN_PER_SECOND' },
  rateLimitAdminBurst: { env: 'RAPPORT_RATE_LIMIT_ADMIN_BURST' },
  rateLimitPreviewPerSecond: { env: 'RAPPORT_RATE_LIMIT_PREVIEW_PER_SECOND' },
  rateLimitPreviewBurst: { env: 'RAPPORT_RATE_LIMIT_PREVIEW_BURST' },
  rateLimitPublicPerSecond: { env: 'RAPPORT_RATE_LIMIT_PUBLIC_PER_SECOND' },
  rateLimitPublicBurst: { env: 'RAPPORT_RATE_LIMIT_PUBLIC_BURST' },
};

/** The HTTP server's limits, as `buildServer` takes them. */
export type HttpLimits = Pick<
  Config,
  | 'httpHeadersTimeoutMs'
  | 'httpRequestTimeoutMs'
  | 'httpKeepAliveTimeoutMs'
  | 'httpIdleTimeoutMs'
  | 'httpMaxConnections'
>;

/** What refused events may cost, as the ingest service and its cleanup take them. */
export type RejectedLimits = Pick<
  Config,
  'rejectedMaxPerWorkspace' | 'rejectedMaxRawBytes' | 'rejectedRetentionDays'
>;

/** Per-key request limits, as `buildServer` takes them. */
export type RateLimitSettings = Pick<
  Config,
  | 'rateLimitWritePerSecond'
  | 'rateLimitWriteBurst'
  | 'rateLimitReadPerSecond'
  | 'rateLimitReadBurst'
  | 'rateLimitAdminPerSecond'
  | 'rateLimitAdminBurst'
  | 'rateLimitPreviewPerSecond'
  | 'rateLimitPreviewBurst'
  | 'rateLimitPublicPerSecond'
  | 'rateLimitPublicBurst'
>;

/** The defaults, for code (tests, benchmarks) that builds a server without loading config. */
export const DEFAULTS: Config = Config.parse({});
