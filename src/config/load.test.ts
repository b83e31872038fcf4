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

  it('ignores empty environment variables', () => {
    expect(loadConfig({}, { RAPPORT_PORT: '' }).port).toBe(4700);
  });
});
