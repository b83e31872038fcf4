import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import type { SMTPServerOptions } from 'smtp-server';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmailInput } from '../../src/channels/email/build-email.js';
import { EmailSender, rewriteLinks } from '../../src/channels/index.js';

interface Delivered {
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

const servers: SMTPServer[] = [];

/** A real SMTP server on 127.0.0.1 and a random port, keeping what it accepts. */
async function smtpServer(
  options: Partial<SMTPServerOptions> = {},
): Promise<{ port: number; delivered: Delivered[] }> {
  const delivered: Delivered[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            delivered.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw: raw.toString('utf8'),
              parsed,
            });
            callback(null, 'Ok: queued as Q4711');
          })
          .catch((error: unknown) => callback(error as Error));
      });
    },
    ...options,
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.server.address() as AddressInfo).port, delivered };
}

function reject(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
});

const message: EmailInput = {
  from: { name: 'Boutique Zoë', address: 'news@shop.example.com' },
  to: 'ann@example.com',
  subject: 'Zoë, votre panier vous attend 🛒 — ¡última oportunidad!',
  preheader: 'Deux articles mis de côté pour vous',
  html:
    '<!doctype html><html><body><h1>Bonjour Zoë</h1>' +
    '<p>Vos articles : <a href="https://shop.example.com/cart?id=c1&amp;utm=mail">voir le panier</a></p>' +
    '<p><a href="https://rapport.example.com/u/TOKEN">Se désabonner</a></p></body></html>',
  text: 'Bonjour Zoë\n\nVos articles : https://shop.example.com/cart?id=c1&utm=mail',
  messageId: 'msg_42',
  unsubscribe: {
    url: 'https://rapport.example.com/u/TOKEN',
    mailto: 'unsubscribe+msg_42@shop.example.com',
  },
  headers: { 'X-Rapport-Journey': 'cart_abandonment' },
};

describe('EmailSender against a loopback SMTP server', () => {
  it('delivers a well-formed MIME message with both parts and the unsubscribe headers', async () => {
    const { port, delivered } = await smtpServer();
    const sender = new EmailSender(`smtp://127.0.0.1:${port}`);
    const result = await sender.send(message);
    sender.close();
    expect(result).toEqual({
      kind: 'sent',
      providerId: 'Q4711',
      response: '250 Ok: queued as Q4711',
    });
    expect(delivered).toHaveLength(1);
    const { parsed, raw, from, to } = delivered[0]!;
    expect(from).toBe('news@shop.example.com');
    expect(to).toEqual(['ann@example.com']);
    expect(parsed.subject).toBe(message.subject);
    // Non-ASCII subjects travel as RFC 2047 encoded words, never raw 8-bit.
    expect(raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(parsed.from?.value).toEqual([
      { name: 'Boutique Zoë', address: 'news@shop.example.com' },
    ]);
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value).toEqual([
      { name: '', address: 'ann@example.com' },
    ]);
    expect(parsed.messageId).toBe('<msg_42@shop.example.com>');
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(parsed.text?.trim()).toBe(message.text);
    expect(parsed.html).toContain('<h1>Bonjour Zoë</h1>');
    expect(parsed.html).toMatch(
      /<body><div style="display:none;[^"]*">Deux articles mis de côté pour vous/,
    );
    expect(parsed.headers.get('x-rapport-journey')).toBe('cart_abandonment');
    // mailparser reads List-* headers into one `list` entry.
    expect(parsed.headers.get('list')).toEqual({
      unsubscribe: {
        mail: 'unsubscribe+msg_42@shop.example.com',
        url: 'https://rapport.example.com/u/TOKEN',
      },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
    // And byte for byte, as a mail client reads them (mailto first, then the https URL).
    const unfolded = raw.replace(/\r\n[ \t]+/g, ' ');
    expect(unfolded).toMatch(
      /^List-Unsubscribe: <mailto:unsubscribe\+msg_42@shop\.example\.com>, <https:\/\/rapport\.example\.com\/u\/TOKEN>\r$/m,
    );
    expect(unfolded).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
  });

  it('keeps the Message-ID across a retry of the same message', async () => {
    const { port, delivered } = await smtpServer();
    const sender = new EmailSender(`smtp://127.0.0.1:${port}`);
    await sender.send(message);
    await sender.send(message);
    sender.close();
    expect(delivered.map((d) => d.parsed.messageId)).toEqual([
      '<msg_42@shop.example.com>',
      '<msg_42@shop.example.com>',
    ]);
  });

  it('sends tracked links and the text part derived from HTML', async () => {
    const { port, delivered } = await smtpServer();
    const tracked = rewriteLinks(
      message.html!,
      (l) => `https://rapport.example.com/c/T${l.index}`,
      {
        exclude: [message.unsubscribe!.url!],
        openPixelUrl: 'https://rapport.example.com/o/P.gif',
      },
    );
    const sender = new EmailSender(`smtp://127.0.0.1:${port}`);
    expect((await sender.send({ ...message, html: tracked.html, text: undefined })).kind).toBe(
      'sent',
    );
    sender.close();
    const { parsed } = delivered[0]!;
    expect(parsed.html).toContain('<a href="https://rapport.example.com/c/T0">voir le panier</a>');
    expect(parsed.html).toContain(
      '<a href="https://rapport.example.com/u/TOKEN">Se désabonner</a>',
    );
    expect(parsed.html).toContain(
      '<img src="https://rapport.example.com/o/P.gif" width="1" height="1"',
    );
    expect(parsed.text?.trim()).toBe(
      'Bonjour Zoë\n\nVos articles : voir le panier (https://rapport.example.com/c/T0)\n\nSe désabonner (https://rapport.example.com/u/TOKEN)',
    );
  });

  it('authenticates with the credentials in SMTP_URL and uses a pool', async () => {
    const { port, delivered } = await smtpServer({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'api key' && auth.password === 'p@ss:w/rd')
          callback(null, { user: 'rapport' });
        else callback(new Error('Invalid username or password'));
      },
    });
    const ok = new EmailSender(
      `smtp://api%20key:p%40ss%3Aw%2Frd@127.0.0.1:${port}?pool=true&maxConnections=2`,
    );
    const sends = await Promise.all([
      ok.send(message),
      ok.send({ ...message, messageId: 'msg_43', to: 'bob@example.com' }),
    ]);
    ok.close();
    expect(sends.map((s) => s.kind)).toEqual(['sent', 'sent']);
    expect(delivered.map((d) => d.to[0]).sort()).toEqual(['ann@example.com', 'bob@example.com']);
    const bad = new EmailSender(`smtp://api%20key:wrong@127.0.0.1:${port}`);
    const refused = await bad.send(message);
    bad.close();
    expect(refused).toEqual({ kind: 'failed', error: '535 Invalid username or password' });
  });

  it('maps a 450 for the recipient to retry and a 550 to bounced', async () => {
    const { port, delivered } = await smtpServer({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('busy'))
          callback(reject(450, '4.2.1 Mailbox busy, try later'));
        else if (address.address.startsWith('gone')) callback(reject(550, '5.1.1 No such user'));
        else if (address.address.startsWith('full')) callback(reject(552, 'Mailbox full'));
        else if (address.address.startsWith('blocked'))
          callback(reject(550, '5.7.1 Relaying denied'));
        else callback();
      },
    });
    const sender = new EmailSender(`smtp://127.0.0.1:${port}`);
    expect(await sender.send({ ...message, to: 'busy@example.com' })).toEqual({
      kind: 'retry',
      error: '450 4.2.1 Mailbox busy, try later',
    });
    expect(await sender.send({ ...message, to: 'gone@example.com' })).toEqual({
      kind: 'bounced',
      error: '550 5.1.1 No such user',
      code: 550,
    });
    expect(await sender.send({ ...message, to: 'full@example.com' })).toEqual({
      kind: 'retry',
      error: '552 Mailbox full',
    });
    expect(await sender.send({ ...message, to: 'blocked@example.com' })).toEqual({
      kind: 'failed',
      error: '550 5.7.1 Relaying denied',
    });
    sender.close();
    expect(delivered).toHaveLength(0);
  });

  it('maps content rejected after DATA to failed', async () => {
    const { port } = await smtpServer({
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(reject(554, '5.7.1 Message rejected as spam')));
      },
    });
    const sender = new EmailSender(`smtp://127.0.0.1:${port}`);
    expect(await sender.send(message)).toEqual({
      kind: 'failed',
      error: '554 5.7.1 Message rejected as spam',
    });
    sender.close();
  });

  it('maps an unreachable server to retry', async () => {
    const { port } = await smtpServer();
    const s = servers.pop()!;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    const sender = new EmailSender(`smtp://127.0.0.1:${port}?connectionTimeout=2000`);
    const result = await sender.send(message);
    sender.close();
    expect(result.kind).toBe('retry');
    expect(result.kind === 'retry' && result.error).toMatch(/ECONNREFUSED/);
  });

  it('fails a message that cannot be built, naming the field, without connecting', async () => {
    const sender = new EmailSender('smtp://127.0.0.1:9');
    expect(await sender.send({ ...message, to: 'not-an-address' })).toEqual({
      kind: 'failed',
      error: 'The e-mail cannot be built. to is not an e-mail address ("not-an-address")',
    });
    sender.close();
  });
});
