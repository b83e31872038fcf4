import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/index.js';
import { parseSmtpUrl, redactSmtpUrl } from './smtp-url.js';

const base = {
  pool: false,
  connectionTimeout: 30_000,
  greetingTimeout: 30_000,
  socketTimeout: 60_000,
};

describe('parseSmtpUrl', () => {
  it.each([
    ['smtp://mail.example.com', { ...base, host: 'mail.example.com', port: 587, secure: false }],
    ['smtps://mail.example.com', { ...base, host: 'mail.example.com', port: 465, secure: true }],
    ['smtp://127.0.0.1:2525', { ...base, host: '127.0.0.1', port: 2525, secure: false }],
    ['smtp://[::1]:25', { ...base, host: '::1', port: 25, secure: false }],
    [
      'smtps://apikey:s3cr%40t%2F1@smtp.example.com:2465?pool=true&maxConnections=5&maxMessages=100&rateDelta=1000&rateLimit=10',
      {
        ...base,
        host: 'smtp.example.com',
        port: 2465,
        secure: true,
        auth: { user: 'apikey', pass: 's3cr@t/1' },
        pool: true,
        maxConnections: 5,
        maxMessages: 100,
        rateDelta: 1000,
        rateLimit: 10,
      },
    ],
    [
      'smtp://u:p@h.test?requireTLS=true&rejectUnauthorized=false&name=app.example.com&socketTimeout=5000',
      {
        ...base,
        host: 'h.test',
        port: 587,
        secure: false,
        auth: { user: 'u', pass: 'p' },
        requireTLS: true,
        tls: { rejectUnauthorized: false },
        name: 'app.example.com',
        socketTimeout: 5000,
      },
    ],
  ])('reads %s', (url, config) => {
    expect(parseSmtpUrl(url)).toEqual(config);
  });

  it.each([
    ['not a url', 'SMTP_URL is not a URL (not a url); expected smtp://user:password@host:port'],
    ['http://mail.example.com', 'SMTP_URL must start with smtp:// or smtps:// (got http://)'],
    ['smtp://u@h.test', 'SMTP_URL needs both a user and a password, or neither'],
    ['smtp://h.test/path', 'SMTP_URL must not have a path (got /path)'],
    ['smtp://h.test?pool=yes', 'SMTP_URL parameter pool must be true or false (got "yes")'],
    [
      'smtp://h.test?pool=true&maxConnections=0',
      'SMTP_URL parameter maxConnections must be a positive whole number (got "0")',
    ],
    ['smtp://h.test?maxConnections=3', 'SMTP_URL parameter maxConnections needs pool=true'],
    [
      'smtp://h.test?requireTLS=true&ignoreTLS=true',
      'SMTP_URL cannot both requireTLS and ignoreTLS',
    ],
    [
      'smtp://h.test?poool=true',
      expect.stringMatching(
        /^SMTP_URL has an unknown parameter "poool" \(known: pool, maxConnections/,
      ),
    ],
  ])('refuses %s', (url, message) => {
    let thrown: unknown;
    try {
      parseSmtpUrl(url);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).message).toEqual(message);
    expect((thrown as ConfigError).details[0]?.path).toBe('SMTP_URL');
  });

  it('never echoes the password', () => {
    expect(() => parseSmtpUrl('ftp://user:hunter2@h.test')).toThrow(/^(?!.*hunter2)/);
    expect(() => parseSmtpUrl('smtp://user:hunter2@h.test?bad=1')).toThrow(/^(?!.*hunter2)/);
    expect(redactSmtpUrl('smtps://user:hunter2@h.test:465?pool=true')).toBe(
      'smtps://user:***@h.test:465?pool=true',
    );
  });
});
