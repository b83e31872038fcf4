import { EmailSender, type EmailResult } from './sender.js';
import type { EmailInput } from './build-email.js';
import type { SmtpConfig } from './smtp-url.js';

/** What an operator's check of the SMTP server answers: never an exception, never a hang. */
export type SmtpCheck = { kind: 'ok'; ms: number } | { kind: 'failed'; error: string; ms: number };

/**
 * The SMTP server of `config` on one fresh connection whose every wait (connecting, the
 * greeting, each reply) is at most `timeoutMs`: an operator's click must answer within
 * seconds even when the server swallows packets. The sending pool keeps its own, longer
 * timeouts; its connections are not disturbed.
 */
function oneShot(config: SmtpConfig, timeoutMs: number): EmailSender {
  const single: SmtpConfig = {
    ...config,
    pool: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
  // Pool settings are refused without a pool (see parseSmtpUrl).
  delete single.maxConnections;
  delete single.maxMessages;
  delete single.rateDelta;
  delete single.rateLimit;
  return new EmailSender(single);
}

/**
 * Settles with `work`, or with `late()` once `ms` passed: a last guard in case a
 * transport's own timeouts do not fire (a TLS handshake that never ends, say).
 */
async function withDeadline<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** nodemailer's words with what they mean: its timeout says only "Timeout". */
function explain(r: { error: string; code?: string }, timeoutMs: number): string {
  if (r.code === 'ETIMEDOUT')
    return `no greeting or reply from the server within ${timeoutMs} ms (ETIMEDOUT: ${r.error})`;
  return r.code ? `${r.code}: ${r.error}` : r.error;
}

/**
 * Connects, reads the greeting, says EHLO and logs in when the configuration has a user:
 * `ok`, or `failed` with the server's or the network's words.
 *
 * @example
 * const r = await checkSmtp(parseSmtpUrl(process.env.SMTP_URL!), 10_000);
 * if (r.kind === 'failed') console.log(r.error); // "Greeting never received"
 */
export async function checkSmtp(config: SmtpConfig, timeoutMs: number): Promise<SmtpCheck> {
  const started = performance.now();
  const sender = oneShot(config, timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const r = await withDeadline(sender.verify(), timeoutMs * 3, () => ({
      kind: 'failed' as const,
      error: `no answer within ${timeoutMs * 3} ms`,
    }));
    if (r.kind === 'ok') return { kind: 'ok', ms: elapsed() };
    return { kind: 'failed', error: explain(r, timeoutMs), ms: elapsed() };
  } finally {
    sender.close();
  }
}

/** Sends one message on a fresh connection under the same deadlines as {@link checkSmtp}. */
export async function sendOnce(
  config: SmtpConfig,
  timeoutMs: number,
  input: EmailInput,
): Promise<EmailResult> {
  const sender = oneShot(config, timeoutMs);
  try {
    return await withDeadline(sender.send(input), timeoutMs * 4, () => ({
      kind: 'retry' as const,
      error: `no answer within ${timeoutMs * 4} ms`,
    }));
  } finally {
    sender.close();
  }
}
