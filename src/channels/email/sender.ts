import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { ConfigError, ValidationError } from '../../shared/index.js';
import type { EmailInput } from './build-email.js';
import { buildEmail, isLoopback } from './build-email.js';
import type { SmtpConfig } from './smtp-url.js';
import { parseSmtpUrl } from './smtp-url.js';

export type EmailResult =
  | { kind: 'sent'; providerId: string; response: string }
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  /** The address does not exist or refuses mail: record `Email Bounced` and suppress it. */
  | { kind: 'bounced'; error: string; code: number }
  | { kind: 'failed'; error: string };

/** The fields of a nodemailer / SMTP error that say what went wrong and where. */
export interface SmtpErrorLike {
  message?: string;
  /** nodemailer's class of error: ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE, EMESSAGE... */
  code?: string;
  /** The SMTP reply code, when the server answered. */
  responseCode?: number;
  /** The full reply, e.g. `550 5.1.1 User unknown`. */
  response?: string;
  /** The command the reply answered: `RCPT TO`, `DATA`, `MAIL FROM`, `AUTH PLAIN`... */
  command?: string;
}

// Errors that no retry will fix: the message or the configuration is wrong.
const PERMANENT_CODES = new Set([
  'EENVELOPE',
  'EMESSAGE',
  'ECONFIG',
  'EAUTH',
  'ETLS',
  'EREQUIRETLS',
]);

/**
 * Maps an SMTP failure to an outcome. 4xx replies and errors without a reply
 * (connection refused, timeout, dropped socket) are `retry`. 5xx about the recipient is
 * `bounced`: enhanced status 5.1.x (bad address) or 5.2.1 (mailbox disabled) after any
 * command, or 550/551/553 after RCPT TO when the server gives no enhanced status. A
 * 552 after RCPT TO is `retry` (RFC 5321 §4.5.3.1.10 asks clients to treat it as 452),
 * and so is 5.2.2 (mailbox full). Other 5xx — policy blocks (5.7.x, "relaying denied",
 * spam), rejected content, sender or auth problems — are `failed`: not the address's
 * fault, so it must not be suppressed.
 */
export function classifySmtpError(error: SmtpErrorLike): EmailResult {
  const reply = error.response ?? error.message ?? 'unknown SMTP error';
  const code = error.responseCode;
  if (code === undefined) {
    if (error.code !== undefined && PERMANENT_CODES.has(error.code)) {
      return { kind: 'failed', error: `${error.code}: ${error.message ?? reply}` };
    }
    return { kind: 'retry', error: `${error.code ?? 'ERROR'}: ${error.message ?? reply}` };
  }
  if (code >= 400 && code < 500) return { kind: 'retry', error: reply };
  if (code < 500 || code >= 600) return { kind: 'failed', error: reply };
  const enhanced = /\b5\.(\d{1,3})\.(\d{1,3})\b/.exec(reply);
  const subject = enhanced?.[1];
  const detail = enhanced?.[2];
  const afterRcpt = error.command === 'RCPT TO';
  if (subject === '2' && detail === '2') return { kind: 'retry', error: reply };
  if (afterRcpt && code === 552) return { kind: 'retry', error: reply };
  if (subject === '1' || (subject === '2' && detail === '1'))
    return { kind: 'bounced', error: reply, code };
  if (afterRcpt && enhanced === null && (code === 550 || code === 551 || code === 553)) {
    return { kind: 'bounced', error: reply, code };
  }
  return { kind: 'failed', error: reply };
}

/** The server's queue id from a reply such as `250 2.0.0 Ok: queued as 4Bx9Q`. */
function queueId(response: string): string | undefined {
  return /queued as\s+([A-Za-z0-9._-]+)/i.exec(response)?.[1];
}

/**
 * Sends e-mail through one SMTP transport (pooled when SMTP_URL says `pool=true`) and
 * maps every outcome to a value: `sent` (with the server's queue id when it gives one),
 * `retry`, `bounced` or `failed` — see {@link classifySmtpError}. A message that cannot be
 * built (a bad address) is `failed` naming the field; `send` never throws.
 *
 * @example
 * const sender = new EmailSender(config.smtpUrl);
 * const result = await sender.send({ from, to, subject, html, text, messageId: msg.id, unsubscribe });
 * if (result.kind === 'bounced') { recordEvent('Email Bounced'); suppress(to); }
 */
export class EmailSender {
  private readonly transport: Mail;
  private readonly captured: boolean;

  /**
   * `capture`: the SMTP server is a local catcher (`rapport demo`); anything but a
   * loopback `smtp://` address is refused, so nothing can leave the machine.
   */
  constructor(transport: string | SmtpConfig | Mail, options: { capture?: boolean } = {}) {
    this.captured = options.capture === true;
    if (this.captured) {
      const host = typeof transport === 'string' ? parseSmtpUrl(transport).host : null;
      if (host === null || !isLoopback(host)) {
        throw new ConfigError('A mail catcher must listen on this machine.', [
          { path: 'SMTP_URL', problem: 'must be a loopback address to capture mail' },
        ]);
      }
    }
    if (typeof transport === 'string') {
      this.transport = nodemailer.createTransport(parseSmtpUrl(transport));
    } else if ('sendMail' in transport) {
      this.transport = transport;
    } else {
      this.transport = nodemailer.createTransport(transport);
    }
  }

  async send(input: EmailInput): Promise<EmailResult> {
    let message: Mail.Options;
    try {
      message = buildEmail(input, { captured: this.captured });
    } catch (error) {
      if (error instanceof ValidationError) {
        return {
          kind: 'failed',
          error: `${error.message} ${error.details.map((d) => `${d.path} ${d.problem}`).join('; ')}`,
        };
      }
      throw error;
    }
    try {
      const info = (await this.transport.sendMail(message)) as {
        response?: string;
        messageId?: string;
        rejected?: unknown[];
        rejectedErrors?: SmtpErrorLike[];
      };
      const rejected = info.rejectedErrors?.[0];
      if (rejected) return classifySmtpError(rejected);
      const response = info.response ?? '';
      return { kind: 'sent', providerId: queueId(response) ?? info.messageId ?? '', response };
    } catch (error) {
      return classifySmtpError(error as SmtpErrorLike);
    }
  }

  /** Checks the connection and credentials (for start-up and the settings page). */
  async verify(): Promise<{ kind: 'ok' } | { kind: 'failed'; error: string; code?: string }> {
    try {
      await this.transport.verify();
      return { kind: 'ok' };
    } catch (error) {
      const code = (error as SmtpErrorLike).code;
      return {
        kind: 'failed',
        error: error instanceof Error ? error.message : String(error),
        // nodemailer's class of error (ETIMEDOUT, ECONNECTION, EAUTH...): what to fix.
        ...(typeof code === 'string' ? { code } : {}),
      };
    }
  }

  /** Closes pooled connections. */
  close(): void {
    this.transport.close();
  }
}
