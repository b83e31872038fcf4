import { ConfigError } from '../../shared/index.js';

/** SMTP connection settings, in the shape nodemailer's SMTP and pool transports take. */
export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (smtps://, port 465); otherwise STARTTLS when offered. */
  secure: boolean;
  auth?: { user: string; pass: string };
  pool: boolean;
  maxConnections?: number;
  maxMessages?: number;
  rateDelta?: number;
  rateLimit?: number;
  requireTLS?: boolean;
  ignoreTLS?: boolean;
  tls?: { rejectUnauthorized: boolean };
  /** The name announced in EHLO. */
  name?: string;
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
}

type Setter = (config: SmtpConfig, value: string, fail: (problem: string) => never) => void;

function bool(value: string, fail: (problem: string) => never): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return fail(`must be true or false (got "${value}")`);
}

function positiveInt(value: string, fail: (problem: string) => never): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    return fail(`must be a positive whole number (got "${value}")`);
  }
  return Number(value);
}

// Every query parameter SMTP_URL understands; any other is a mistake worth stopping for.
const PARAMETERS: Readonly<Record<string, Setter>> = {
  pool: (c, v, f) => (c.pool = bool(v, f)),
  maxConnections: (c, v, f) => (c.maxConnections = positiveInt(v, f)),
  maxMessages: (c, v, f) => (c.maxMessages = positiveInt(v, f)),
  rateDelta: (c, v, f) => (c.rateDelta = positiveInt(v, f)),
  rateLimit: (c, v, f) => (c.rateLimit = positiveInt(v, f)),
  requireTLS: (c, v, f) => (c.requireTLS = bool(v, f)),
  ignoreTLS: (c, v, f) => (c.ignoreTLS = bool(v, f)),
  rejectUnauthorized: (c, v, f) => (c.tls = { rejectUnauthorized: bool(v, f) }),
  name: (c, v, f) => {
    if (!/^[A-Za-z0-9.-]{1,253}$/.test(v)) f(`must be a host name (got "${v}")`);
    c.name = v;
  },
  connectionTimeout: (c, v, f) => (c.connectionTimeout = positiveInt(v, f)),
  greetingTimeout: (c, v, f) => (c.greetingTimeout = positiveInt(v, f)),
  socketTimeout: (c, v, f) => (c.socketTimeout = positiveInt(v, f)),
};

/** The URL with its password replaced, fit for an error message or a log. */
export function redactSmtpUrl(text: string): string {
  return text.replace(/^([a-z]+:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

/**
 * Reads `SMTP_URL`: `smtp://` (port 587, STARTTLS when the server offers it) or
 * `smtps://` (port 465, TLS from the start), optional `user:password@` (percent-encoded),
 * and query parameters `pool`, `maxConnections`, `maxMessages`, `rateDelta`, `rateLimit`,
 * `requireTLS`, `ignoreTLS`, `rejectUnauthorized`, `name`, `connectionTimeout`,
 * `greetingTimeout`, `socketTimeout` (ms). A bad value stops start-up with a
 * `ConfigError` naming SMTP_URL and the part at fault; the password is never echoed.
 *
 * @example parseSmtpUrl('smtps://apikey:s3cr%40t@smtp.example.com?pool=true&maxConnections=5')
 * // { host: 'smtp.example.com', port: 465, secure: true, auth: { user: 'apikey', pass: 's3cr@t' },
 * //   pool: true, maxConnections: 5, … }
 */
export function parseSmtpUrl(text: string): SmtpConfig {
  const shown = redactSmtpUrl(text);
  const fail = (problem: string): never => {
    throw new ConfigError(`SMTP_URL ${problem}`, [{ path: 'SMTP_URL', problem }]);
  };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`is not a URL (${shown}); expected smtp://user:password@host:port`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    return fail(`must start with smtp:// or smtps:// (got ${url.protocol}//)`);
  }
  if (url.hostname === '') fail('has no host');
  if (url.pathname !== '' && url.pathname !== '/')
    fail(`must not have a path (got ${url.pathname})`);
  const secure = url.protocol === 'smtps:';
  const config: SmtpConfig = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    pool: false,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  };
  if (url.username !== '' || url.password !== '') {
    if (url.username === '' || url.password === '')
      fail('needs both a user and a password, or neither');
    try {
      config.auth = {
        user: decodeURIComponent(url.username),
        pass: decodeURIComponent(url.password),
      };
    } catch {
      fail('has a badly percent-encoded user or password');
    }
  }
  for (const [key, value] of url.searchParams) {
    const set = Object.hasOwn(PARAMETERS, key) ? PARAMETERS[key] : undefined;
    if (!set) {
      fail(`has an unknown parameter "${key}" (known: ${Object.keys(PARAMETERS).join(', ')})`);
    } else {
      set(config, value, (problem) => fail(`parameter ${key} ${problem}`));
    }
  }
  if (!config.pool) {
    for (const key of ['maxConnections', 'maxMessages', 'rateDelta', 'rateLimit'] as const) {
      if (config[key] !== undefined) fail(`parameter ${key} needs pool=true`);
    }
  }
  if (config.requireTLS && config.ignoreTLS) fail('cannot both requireTLS and ignoreTLS');
  return config;
}
