import { describe, expect, it } from 'vitest';
import { ConfigError } from '../shared/index.js';
import { loadConfig } from './load.js';

describe('loadConfig', () => {
  it('uses the defaults when nothing is given', () => {
    expect(loadConfig({}, {})).toEqual({
      port: 4700,
      host: '127.0.0.1',
      dataDir: './.rapport',
      role: 'all',
      logLevel: 'info',
      dbPoolSize: 10,
      outboxLeaseMs: 60_000,
      httpHeadersTimeoutMs: 10_000,
      httpRequestTimeoutMs: 30_000,
      httpKeepAliveTimeoutMs: 5_000,
      httpIdleTimeoutMs: 300_000,
      httpMaxConnections: 1024,
      rejectedMaxPerWorkspace: 10_000,
      rejectedMaxRawBytes: 8192,
      rejectedRetentionDays: 7,
      rateLimitWritePerSecond: 500,
      rateLimitWriteBurst: 1000,
      rateLimitReadPerSecond: 1000,
      rateLimitReadBurst: 2000,
      rateLimitAdminPerSecond: 20,
      rateLimitAdminBurst: 50,
      rateLimitPreviewPerSecond: 1,
      rateLimitPreviewBurst: 10,
      rateLimitPublicPerSecond: 10,
      rateLimitPublicBurst: 50,
    });
  });

  it('lets flags win over the environment, and the environment over defaults', () => {
    const config = loadConfig(
      { port: '5000' },
      { RAPPORT_PORT: '6000', RAPPORT_HOST: '0.0.0.0', DATABASE_URL: 'postgres://h/db' },
    );
    expect(config.port).toBe(5000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.databaseUrl).toBe('postgres://h/db');
  });

  it.each([
    [{ port: 'eighty' }, {}, '--port'],
    [{}, { RAPPORT_PORT: '70000' }, 'RAPPORT_PORT'],
    [{ role: 'boss' }, {}, '--role'],
    [{}, { DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL'],
    [{}, { RAPPORT_ADMIN_KEY: 'short' }, 'RAPPORT_ADMIN_KEY'],
    [{}, { RAPPORT_PLATFORM_KEY: 'sixteen-chars-ok' }, 'RAPPORT_PLATFORM_KEY'],
    [
      {},
      { RAPPORT_ADMIN_KEY: 'k'.repeat(40), RAPPORT_PLATFORM_KEY: 'k'.repeat(40) },
      'RAPPORT_PLATFORM_KEY',
    ],
    [{}, { RAPPORT_HTTP_REQUEST_TIMEOUT_MS: '0' }, 'RAPPORT_HTTP_REQUEST_TIMEOUT_MS'],
    [{}, { RAPPORT_HTTP_KEEP_ALIVE_TIMEOUT_MS: '5s' }, 'RAPPORT_HTTP_KEEP_ALIVE_TIMEOUT_MS'],
    [{}, { RAPPORT_HTTP_MAX_CONNECTIONS: '-1' }, 'RAPPORT_HTTP_MAX_CONNECTIONS'],
    [{}, { RAPPORT_REJECTED_MAX_RAW_BYTES: '10' }, 'RAPPORT_REJECTED_MAX_RAW_BYTES'],
    [{}, { RAPPORT_REJECTED_RETENTION_DAYS: '0.5' }, 'RAPPORT_REJECTED_RETENTION_DAYS'],
  ])('names the bad setting %#', (flags, env, name) => {
    let error: unknown;
    try {
      loadConfig(flags, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(name);
    expect((error as ConfigError).details[0]!.path).toBe(name);
  });

  it('says which timeout is out of order, and why', () => {
    expect(() =>
      loadConfig(
        {},
        { RAPPORT_HTTP_HEADERS_TIMEOUT_MS: '40000', RAPPORT_HTTP_REQUEST_TIMEOUT_MS: '30000' },
      ),
    ).toThrow(
      'Invalid configuration: RAPPORT_HTTP_HEADERS_TIMEOUT_MS: must not be longer than the request timeout (RAPPORT_HTTP_REQUEST_TIMEOUT_MS)',
    );
    expect(() => loadConfig({}, { RAPPORT_HTTP_REQUEST_TIMEOUT_MS: '50' })).toThrow(
      'RAPPORT_HTTP_REQUEST_TIMEOUT_MS: must be at least 100 ms',
    );
  });

  it('ignores empty environment variables', () => {
    expect(loadConfig({}, { RAPPORT_PORT: '' }).port).toBe(4700);
  });

  it('takes a 32-byte master key as base64 or hex and names the variable when it is not one', () => {
    const b64 = Buffer.alloc(32, 1).toString('base64');
    const hex = Buffer.alloc(32, 2).toString('hex');
    const ok = loadConfig(
      {},
      { RAPPORT_ENCRYPTION_KEY: b64, RAPPORT_ENCRYPTION_KEY_PREVIOUS: hex },
    );
    expect(ok.encryptionKey).toBe(b64);
    expect(ok.encryptionKeyPrevious).toBe(hex);
    expect(() => loadConfig({}, { RAPPORT_ENCRYPTION_KEY: 'hunter2' })).toThrow(
      /RAPPORT_ENCRYPTION_KEY: must be 32 random bytes as base64 \(44 characters: `openssl rand -base64 32`\) or hex \(64 characters\)/,
    );
    expect(() => loadConfig({}, { RAPPORT_ENCRYPTION_KEY_PREVIOUS: hex })).toThrow(
      /RAPPORT_ENCRYPTION_KEY_PREVIOUS: needs RAPPORT_ENCRYPTION_KEY/,
    );
    try {
      loadConfig({}, { RAPPORT_ENCRYPTION_KEY: 'hunter2' });
    } catch (error) {
      // The value itself is a secret: never repeated in the error.
      expect(JSON.stringify(error) + String(error)).not.toContain('hunter2');
    }
  });
});
