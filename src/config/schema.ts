import { z } from 'zod';

/** Every setting and its default, in one place. */
export const Config = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4700),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./.rapport'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  role: z.enum(['all', 'api', 'worker']).default('all'),
  adminKey: z.string().min(16, 'must be at least 16 characters').optional(),
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
  logLevel: { flag: '--log-level', env: 'RAPPORT_LOG_LEVEL' },
  dbPoolSize: { env: 'RAPPORT_DB_POOL_SIZE' },
  outboxLeaseMs: { env: 'RAPPORT_OUTBOX_LEASE_MS' },
  smtpUrl: { env: 'SMTP_URL' },
  publicUrl: { env: 'RAPPORT_PUBLIC_URL' },
};
