import type Mail from 'nodemailer/lib/mailer/index.js';
import type { ErrorDetail } from '../../shared/index.js';
import { ValidationError } from '../../shared/index.js';
import { escapeHtml, htmlToText, tokenizeHtml } from '../html/index.js';

export interface EmailAddress {
  name?: string;
  address: string;
}

export interface EmailInput {
  from: string | EmailAddress;
  to: string | EmailAddress;
  replyTo?: string | EmailAddress;
  subject: string;
  /** The preview line shown after the subject in the inbox; hidden in the body. */
  preheader?: string | undefined;
  html?: string | undefined;
  /** The text part; derived from `html` when absent. */
  text?: string | undefined;
  /** Rapport's message id: the Message-ID is derived from it, so a retry keeps the same one. */
  messageId: string;
  /** RFC 2369 / RFC 8058 unsubscribe targets: an https one-click URL and/or a mailbox. */
  unsubscribe?: { url?: string | undefined; mailto?: string | undefined } | undefined;
  /** Extra headers (`X-…`, `Feedback-ID`…); the headers this function sets cannot be overridden. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** The envelope sender (Return-Path) for bounces, when not the From address. */
  bounceAddress?: string | undefined;
  /** The Date header; the send time when absent. */
  date?: Date | undefined;
}

export interface BuildOptions {
  /**
   * The message goes to a catcher on this machine (`rapport demo`), never to a person:
   * an http unsubscribe link to a loopback address is allowed, for clicking locally.
   */
  captured?: boolean;
}

/** 127.0.0.0/8, ::1 and localhost: addresses that never leave this machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

// A pragmatic address check: one @, no spaces or brackets, a dot in the domain part, a
// sane length. The SMTP server is the final judge; this keeps obvious junk out of headers.
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MANAGED = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'list-unsubscribe',
  'list-unsubscribe-post',
]);

function address(
  value: string | EmailAddress,
  field: string,
  problems: ErrorDetail[],
): EmailAddress {
  const parsed = typeof value === 'string' ? parseAddress(value) : value;
  if (!ADDRESS.test(parsed.address) || parsed.address.length > 254) {
    problems.push({
      path: field,
      problem: `is not an e-mail address (${JSON.stringify(parsed.address)})`,
    });
  }
  if (parsed.name !== undefined && /[\r\n]/.test(parsed.name)) {
    problems.push({ path: `${field}.name`, problem: 'must not contain line breaks' });
  }
  return parsed;
}

/** `"Ann" <ann@x.test>`, `Ann <ann@x.test>` or `ann@x.test`. */
function parseAddress(text: string): EmailAddress {
  const angle = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<]*?))\s*<([^<>]+)>\s*$/.exec(text);
  if (angle) {
    const name = (angle[1]?.replace(/\\(.)/g, '$1') ?? angle[2] ?? '').trim();
    return name === '' ? { address: angle[3]!.trim() } : { name, address: angle[3]!.trim() };
  }
  return { address: text.trim() };
}

/**
 * The Message-ID for a Rapport message: `<id@domain-of-from>`. Characters outside RFC
 * 5322 `atext` (and `.`, which may not start, end or repeat) are written as `=XX`, so the
 * same id always gives the same, valid Message-ID.
 */
export function messageIdFor(id: string, fromAddress: string): string {
  const local = id.replace(
    /[^A-Za-z0-9!#$%&'*+/?^_`{|}~-]/g,
    (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase();
  return `<${local}@${domain}>`;
}

// Zero-width filler after the preheader keeps clients from pulling body text into the
// inbox preview when the preheader is short.
const PREHEADER_FILLER = '&#847;&zwnj;&nbsp;'.repeat(40);

/** The hidden block that carries the preheader at the top of the body. */
export function preheaderHtml(preheader: string): string {
  return (
    '<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;' +
    'opacity:0;overflow:hidden;mso-hide:all;color:transparent">' +
    `${escapeHtml(preheader)}${PREHEADER_FILLER}</div>`
  );
}

function withPreheader(html: string, preheader: string): string {
  for (const token of tokenizeHtml(html)) {
    if (token.kind === 'start' && token.name === 'body') {
      return html.slice(0, token.end) + preheaderHtml(preheader) + html.slice(token.end);
    }
  }
  return preheaderHtml(preheader) + html;
}

/** `<uri>` for List-Unsubscribe: commas and spaces percent-encoded, as RFC 2369 asks. */
function listUri(uri: string): string {
  return `<${uri.replace(/[,\s<>]/g, (c) => encodeURIComponent(c))}>`;
}

/**
 * Builds the nodemailer message for one e-mail: HTML and text parts
 * (multipart/alternative), the preheader hidden at the top of the HTML, a stable
 * Message-ID, and `List-Unsubscribe` (`<mailto:…>, <https://…>`, RFC 2369) with
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058) when an https URL is
 * given. Throws a `ValidationError` naming each bad field. For a message to a local
 * catcher (`options.captured`) an http unsubscribe URL on loopback is kept too, without
 * the one-click header.
 *
 * @example
 * buildEmail({
 *   from: 'Shop <news@shop.example.com>', to: 'ann@example.com', subject: 'Your cart',
 *   html: '<p>Hi Ann</p>', messageId: 'msg_42',
 *   unsubscribe: { url: 'https://rapport.example.com/u/TOKEN', mailto: 'unsubscribe@shop.example.com' },
 * }).messageId // '<msg_42@shop.example.com>'
 */
export function buildEmail(input: EmailInput, options: BuildOptions = {}): Mail.Options {
  const problems: ErrorDetail[] = [];
  const from = address(input.from, 'from', problems);
  const to = address(input.to, 'to', problems);
  const replyTo =
    input.replyTo === undefined ? undefined : address(input.replyTo, 'replyTo', problems);
  if (input.bounceAddress !== undefined) address(input.bounceAddress, 'bounceAddress', problems);
  const subject = input.subject.replace(/[\r\n\t]+/g, ' ').trim();
  if (subject === '') problems.push({ path: 'subject', problem: 'must not be empty' });
  if (input.html === undefined && input.text === undefined) {
    problems.push({ path: 'html', problem: 'an e-mail needs html or text' });
  }
  if (input.messageId.trim() === '' || input.messageId.length > 200) {
    problems.push({ path: 'messageId', problem: 'must be 1-200 characters' });
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (!HEADER_NAME.test(name))
      problems.push({ path: `headers.${name}`, problem: 'is not a valid header name' });
    else if (MANAGED.has(name.toLowerCase()))
      problems.push({ path: `headers.${name}`, problem: 'is set by buildEmail' });
    else if (/[\r\n\0]/.test(value))
      problems.push({ path: `headers.${name}`, problem: 'must not contain line breaks' });
    else headers[name] = value;
  }

  const unsubscribe: string[] = [];
  let oneClick = false;
  const { url, mailto } = input.unsubscribe ?? {};
  if (mailto !== undefined) {
    const target = mailto.replace(/^mailto:/i, '');
    const [mailbox] = target.split('?');
    if (!ADDRESS.test(mailbox ?? ''))
      problems.push({ path: 'unsubscribe.mailto', problem: 'is not an e-mail address' });
    else unsubscribe.push(listUri(`mailto:${target}`));
  }
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    // RFC 8058 one-click needs an HTTPS URI; mail clients POST to it without asking.
    if (parsed?.protocol === 'https:') {
      oneClick = true;
      unsubscribe.push(listUri(parsed.href));
    } else if (options.captured && parsed?.protocol === 'http:' && isLoopback(parsed.hostname))
      unsubscribe.push(listUri(parsed.href));
    else problems.push({ path: 'unsubscribe.url', problem: 'must be an https:// URL (RFC 8058)' });
  }
  if (problems.length > 0) throw new ValidationError('The e-mail cannot be built.', problems);

  if (unsubscribe.length > 0) headers['List-Unsubscribe'] = unsubscribe.join(', ');
  if (oneClick) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';

  const html =
    input.html === undefined || input.preheader === undefined || input.preheader.trim() === ''
      ? input.html
      : withPreheader(input.html, input.preheader.trim());
  const text = input.text ?? (input.html === undefined ? undefined : htmlToText(input.html));

  const message: Mail.Options = {
    from,
    to,
    subject,
    messageId: messageIdFor(input.messageId, from.address),
    headers,
  };
  if (replyTo) message.replyTo = replyTo;
  if (html !== undefined) message.html = html;
  if (text !== undefined) message.text = text;
  if (input.date) message.date = input.date;
  if (input.bounceAddress !== undefined) {
    message.envelope = { from: input.bounceAddress, to: to.address };
  }
  return message;
}
