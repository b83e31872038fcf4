import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../../shared/index.js';
import type { EmailInput } from './build-email.js';
import { buildEmail, isLoopback, messageIdFor, preheaderHtml } from './build-email.js';
import { classifySmtpError, EmailSender } from './sender.js';

const input: EmailInput = {
  from: 'Shop <news@Shop.Example.com>',
  to: 'ann@example.com',
  subject: 'Your cart',
  html: '<html><body class="x"><p>Hi Ann</p></body></html>',
  messageId: 'msg_42',
};

describe('buildEmail', () => {
  it('sets addresses, a stable Message-ID and both parts', () => {
    const m = buildEmail(input);
    expect(m.from).toEqual({ name: 'Shop', address: 'news@Shop.Example.com' });
    expect(m.to).toEqual({ address: 'ann@example.com' });
    expect(m.messageId).toBe('<msg_42@shop.example.com>');
    expect(m.html).toBe(input.html);
    expect(m.text).toBe('Hi Ann');
    expect(m.headers).toEqual({});
    expect(buildEmail(input).messageId).toBe(m.messageId);
  });

  it('hides the preheader right after <body>, or first', () => {
    expect(buildEmail({ ...input, preheader: 'Still thinking? <3' }).html).toBe(
      `<html><body class="x">${preheaderHtml('Still thinking? <3')}<p>Hi Ann</p></body></html>`,
    );
    expect(buildEmail({ ...input, html: '<p>x</p>', preheader: 'P' }).html).toBe(
      `${preheaderHtml('P')}<p>x</p>`,
    );
    expect(preheaderHtml('a<b')).toMatch(
      /^<div style="display:none;[^"]*">a&lt;b(&#847;&zwnj;&nbsp;)+<\/div>$/,
    );
    // Not in the text part.
    expect(buildEmail({ ...input, preheader: 'P' }).text).toBe('Hi Ann');
  });

  it('writes List-Unsubscribe (mailto, https) and the one-click header', () => {
    const m = buildEmail({
      ...input,
      unsubscribe: {
        url: 'https://r.example.com/u/AbC?x=1,2',
        mailto: 'unsubscribe@shop.example.com?subject=unsubscribe',
      },
    });
    expect(m.headers).toEqual({
      'List-Unsubscribe':
        '<mailto:unsubscribe@shop.example.com?subject=unsubscribe>, <https://r.example.com/u/AbC?x=1%2C2>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(
      buildEmail({ ...input, unsubscribe: { mailto: 'mailto:u@shop.example.com' } }).headers,
    ).toEqual({
      'List-Unsubscribe': '<mailto:u@shop.example.com>',
    });
  });

  it('keeps an http unsubscribe link to loopback only for a captured message, without one-click', () => {
    const local = { url: 'http://127.0.0.1:4700/unsubscribe/T' };
    expect(buildEmail({ ...input, unsubscribe: local }, { captured: true }).headers).toEqual({
      'List-Unsubscribe': '<http://127.0.0.1:4700/unsubscribe/T>',
    });
    expect(() => buildEmail({ ...input, unsubscribe: local })).toThrow(ValidationError);
    const remote = { url: 'http://rapport.example.com/unsubscribe/T' };
    expect(() => buildEmail({ ...input, unsubscribe: remote }, { captured: true })).toThrow(
      ValidationError,
    );
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['LOCALHOST', true],
    ['10.0.0.1', false],
    ['127.example.com', false],
    ['mail.example.com', false],
  ])('isLoopback(%s) is %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });

  it('refuses a catcher that is not on this machine', () => {
    expect(() => new EmailSender('smtp://mail.example.com:25', { capture: true })).toThrow(
      ConfigError,
    );
    expect(() => new EmailSender('smtp://127.0.0.1:2525', { capture: true })).not.toThrow();
  });

  it('keeps extra headers, flattens the subject, sets the bounce envelope', () => {
    const m = buildEmail({
      ...input,
      subject: ' Line one\r\nLine two ',
      headers: { 'X-Campaign': 'cart', 'Feedback-ID': 'j1:ws1:rapport' },
      bounceAddress: 'bounces+msg_42@shop.example.com',
      text: 'plain',
    });
    expect(m.subject).toBe('Line one Line two');
    expect(m.headers).toEqual({ 'X-Campaign': 'cart', 'Feedback-ID': 'j1:ws1:rapport' });
    expect(m.envelope).toEqual({ from: 'bounces+msg_42@shop.example.com', to: 'ann@example.com' });
    expect(m.text).toBe('plain');
  });

  it('names every bad field', () => {
    let error: unknown;
    try {
      buildEmail({
        ...input,
        to: 'not an address',
        subject: '\r\n',
        html: undefined,
        unsubscribe: { url: 'http://r.example.com/u', mailto: 'nobody' },
        headers: { 'Message-ID': '<x@y>', 'X-A': 'a\nb', 'Bad Name': 'x' },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([
      { path: 'to', problem: 'is not an e-mail address ("not an address")' },
      { path: 'subject', problem: 'must not be empty' },
      { path: 'html', problem: 'an e-mail needs html or text' },
      { path: 'headers.Message-ID', problem: 'is set by buildEmail' },
      { path: 'headers.X-A', problem: 'must not contain line breaks' },
      { path: 'headers.Bad Name', problem: 'is not a valid header name' },
      { path: 'unsubscribe.mailto', problem: 'is not an e-mail address' },
      { path: 'unsubscribe.url', problem: 'must be an https:// URL (RFC 8058)' },
    ]);
  });
});

describe('messageIdFor', () => {
  it.each([
    ['msg_3k9-x', 'a@Example.COM', '<msg_3k9-x@example.com>'],
    ['a.b', 'a@x.test', '<a=2Eb@x.test>'],
    ['a b<c>=', 'a@x.test', '<a=20b=3Cc=3E=3D@x.test>'],
  ])('%s from %s', (id, from, expected) => {
    expect(messageIdFor(id, from)).toBe(expected);
  });
});

describe('classifySmtpError', () => {
  it.each([
    [{ code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:1' }, 'retry'],
    [{ code: 'ETIMEDOUT', message: 'Greeting never received' }, 'retry'],
    [{ code: 'ESOCKET', message: 'socket hang up' }, 'retry'],
    [{ message: 'something odd' }, 'retry'],
    [{ code: 'EMESSAGE', message: 'bad attachment' }, 'failed'],
    [{ code: 'EENVELOPE', message: 'No recipients defined' }, 'failed'],
    [
      {
        code: 'EENVELOPE',
        responseCode: 450,
        command: 'RCPT TO',
        response: '450 4.2.0 Mailbox busy',
      },
      'retry',
    ],
    [
      {
        code: 'EENVELOPE',
        responseCode: 451,
        command: 'RCPT TO',
        response: '451 4.7.1 Greylisted, try again',
      },
      'retry',
    ],
    [
      {
        code: 'EENVELOPE',
        responseCode: 421,
        command: 'MAIL FROM',
        response: '421 Too many connections',
      },
      'retry',
    ],
    [
      {
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'RCPT TO',
        response: '550 5.1.1 User unknown',
      },
      'bounced',
    ],
    [
      {
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'RCPT TO',
        response: '550 No such user here',
      },
      'bounced',
    ],
    [
      { code: 'EENVELOPE', responseCode: 551, command: 'RCPT TO', response: '551 User not local' },
      'bounced',
    ],
    [
      {
        code: 'EENVELOPE',
        responseCode: 553,
        command: 'RCPT TO',
        response: '553 Mailbox name not allowed',
      },
      'bounced',
    ],
    [
      {
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'RCPT TO',
        response: '550 5.2.1 Mailbox disabled',
      },
      'bounced',
    ],
    [
      {
        code: 'EMESSAGE',
        responseCode: 550,
        command: 'DATA',
        response: '550 5.1.1 Recipient rejected after DATA',
      },
      'bounced',
    ],
    [
      { code: 'EENVELOPE', responseCode: 552, command: 'RCPT TO', response: '552 Mailbox full' },
      'retry',
    ],
    [
      {
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'RCPT TO',
        response: '550 5.2.2 Mailbox full',
      },
      'retry',
    ],
    [
      {
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'RCPT TO',
        response: '550 5.7.1 Relaying denied',
      },
      'failed',
    ],
    [
      {
        code: 'EMESSAGE',
        responseCode: 554,
        command: 'DATA',
        response: '554 5.7.1 Message rejected as spam',
      },
      'failed',
    ],
    [
      {
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'MAIL FROM',
        response: '550 Sender rejected',
      },
      'failed',
    ],
    [
      {
        code: 'EAUTH',
        responseCode: 535,
        command: 'AUTH PLAIN',
        response: '535 5.7.8 Authentication failed',
      },
      'failed',
    ],
  ])('%j → %s', (error, kind) => {
    expect(classifySmtpError(error).kind).toBe(kind);
  });

  it('keeps the reply and code of a bounce', () => {
    expect(
      classifySmtpError({
        responseCode: 550,
        command: 'RCPT TO',
        response: '550 5.1.1 User unknown',
      }),
    ).toEqual({
      kind: 'bounced',
      error: '550 5.1.1 User unknown',
      code: 550,
    });
  });
});
