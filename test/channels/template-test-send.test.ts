import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { entries } from '../audit/helpers.js';
import { createTestApp, NO_RATE_LIMITS, send, type TestApp } from '../helpers/app.js';
import { recipientsOf, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; problem: string }[] };
}

const TEMPLATE = {
  id: 'hello',
  name: 'Hello',
  channel: 'email',
  subject: 'Hi {{ profile.traits.first_name }}',
  html: '<h1>Hello {{ profile.traits.first_name }}</h1><p><a href="{{ links.unsubscribe }}">Unsubscribe</a></p>',
  defaults: { 'profile.traits.first_name': 'there' },
};

/** A real SMTP server on loopback that refuses every recipient. */
async function startRefusingSmtp(): Promise<{ url: string; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error('5.7.1 Relaying denied'), { responseCode: 550 }));
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});

describe.each(STORE_KINDS)('POST /v1/templates/{id}/test-send (%s)', (kind) => {
  let t: TestApp;
  const testSend = (body: unknown, key = t.keys.admin, id = 'hello') =>
    send(t, 'POST', `/v1/templates/${id}/test-send`, key, body);

  async function ready(options: Parameters<typeof createTestApp>[1] = {}): Promise<TestApp> {
    const app = await createTestApp(kind, { smtpUrl: smtp.url, ...options });
    for (const [url, body] of [
      ['/v1/admin/settings', { email: { from: 'shop@example.com', fromName: 'The Shop' } }],
    ] as const) {
      const res = await send(app, 'PUT', url, app.keys.admin, body);
      expect(res.statusCode, res.body).toBe(200);
    }
    const created = await send(app, 'POST', '/v1/templates', app.keys.admin, TEMPLATE);
    expect(created.statusCode, created.body).toBe(201);
    const who = await send(app, 'POST', '/v1/identify', app.keys.write, {
      userId: 'u-ada',
      traits: { email: 'ada@example.com', first_name: 'Ada' },
    });
    expect(who.statusCode, who.body).toBe(200);
    await app.ctx.profiles.drain();
    return app;
  }

  afterEach(async () => {
    await t?.close();
  });

  it("sends the template with a person's data to the given address only, marked as a test and audited", async () => {
    t = await ready();
    const before = smtp.mails.length;
    const res = await testSend({
      to: 'me@staff.example',
      person: { kind: 'email', value: 'ada@example.com' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      sent: true,
      to: 'me@staff.example',
      subject: '[Test] Hi Ada',
    });
    expect(smtp.mails.length).toBe(before + 1);
    const mail = smtp.mails.at(-1)!;
    expect(recipientsOf(mail)).toEqual(['me@staff.example']);
    expect(mail.subject).toBe('[Test] Hi Ada');
    expect(mail.from?.value).toEqual([{ name: 'The Shop', address: 'shop@example.com' }]);
    expect(mail.headers.get('x-rapport-test')).toBe('template hello');
    // Not a message to a person: no unsubscribe header, no tracked links, no log entry.
    expect(mail.headers.has('list-unsubscribe')).toBe(false);
    expect(mail.html).toContain('<h1>Hello Ada</h1>');
    expect(mail.html).toContain('/unsubscribe/preview');
    expect(mail.text).toContain('Hello Ada');
    const log = await send(t, 'GET', '/v1/messages', t.keys.read);
    expect(log.json<{ messages: unknown[] }>().messages).toEqual([]);

    const [entry] = await entries(t);
    expect(entry).toMatchObject({
      action: 'template.test_send',
      target: { kind: 'template', id: 'hello' },
      after: {
        to: 'me@staff.example',
        person: { kind: 'email', value: 'ada@example.com' },
        version: 1,
        sent: true,
      },
      route: 'POST /v1/templates/:id/test-send',
    });
  });

  it("fills the template's defaults when no person is named", async () => {
    t = await ready();
    const res = await testSend({ to: 'me@staff.example' });
    expect(res.statusCode, res.body).toBe(200);
    expect(smtp.mails.at(-1)?.subject).toBe('[Test] Hi there');
  });

  it.each([
    [{}, 'to', 'must be an e-mail address'],
    [{ to: 'not an address' }, 'to', 'must be an e-mail address'],
    [{ to: `${'a'.repeat(250)}@example.com` }, 'to', 'at most 254'],
    [{ to: 'me@staff.example', person: { kind: 'name', value: 'Ada' } }, 'person.kind', ''],
    [{ to: 'me@staff.example', person: { value: '' } }, 'person.value', ''],
    [{ to: 'me@staff.example', cc: 'other@example.com' }, '', 'cc'],
  ])('answers 400 naming the field for %j', async (body, path, problem) => {
    t = await ready();
    const before = smtp.mails.length;
    const res = await testSend(body);
    expect(res.statusCode, res.body).toBe(400);
    const detail = res.json<ErrorBody>().error.details.find((d) => d.path === path);
    expect(detail, res.body).toBeDefined();
    expect(JSON.stringify(detail)).toContain(problem);
    expect(smtp.mails.length).toBe(before);
  });

  it('answers 404 for an unknown template or person, 400 for a push template, 403 for a read key', async () => {
    t = await ready();
    const before = smtp.mails.length;
    expect((await testSend({ to: 'me@staff.example' }, t.keys.admin, 'nope')).statusCode).toBe(404);
    const nobody = await testSend({ to: 'me@staff.example', person: { value: 'u-nobody' } });
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json<ErrorBody>().error.message).toContain('u-nobody');
    const push = await send(t, 'POST', '/v1/templates', t.keys.admin, {
      id: 'ping',
      name: 'Ping',
      channel: 'push',
      pushTitle: 'Hi',
      pushBody: 'There',
    });
    expect(push.statusCode, push.body).toBe(201);
    const notEmail = await testSend({ to: 'me@staff.example' }, t.keys.admin, 'ping');
    expect(notEmail.statusCode).toBe(400);
    expect(notEmail.json<ErrorBody>().error.details).toEqual([
      { path: 'id', problem: 'is a push template, not an e-mail one' },
    ]);
    const read = await testSend({ to: 'me@staff.example' }, t.keys.read);
    expect(read.statusCode).toBe(403);
    expect(smtp.mails.length).toBe(before);
    expect((await entries(t)).filter((e) => e.action === 'template.test_send')).toEqual([]);
  });

  it('answers 409 naming SMTP_URL without it, and the sender without one', async () => {
    t = await createTestApp(kind);
    await send(t, 'POST', '/v1/templates', t.keys.admin, TEMPLATE);
    const off = await testSend({ to: 'me@staff.example' });
    expect(off.statusCode).toBe(409);
    expect(off.json<ErrorBody>().error.details.map((d) => d.path)).toEqual([
      'SMTP_URL',
      'settings.email.from',
    ]);
    await t.close();
    t = await createTestApp(kind, { smtpUrl: smtp.url });
    await send(t, 'POST', '/v1/templates', t.keys.admin, TEMPLATE);
    const noSender = await testSend({ to: 'me@staff.example' });
    expect(noSender.statusCode).toBe(409);
    expect(noSender.json<ErrorBody>().error).toMatchObject({
      code: 'conflict',
      message: 'Cannot send a test e-mail yet: set settings.email.from (see details).',
    });
  });

  it("answers the SMTP server's refusal, and audits the attempt", async () => {
    const refusing = await startRefusingSmtp();
    try {
      t = await ready({ smtpUrl: refusing.url });
      const res = await testSend({ to: 'me@staff.example' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ sent: false, to: 'me@staff.example' });
      expect(res.json<{ error: string }>().error).toContain('Relaying denied');
      const [entry] = await entries(t);
      expect(entry).toMatchObject({ action: 'template.test_send', after: { sent: false } });
    } finally {
      await refusing.close();
    }
  });

  it('counts against the preview rate limit', async () => {
    t = await ready({
      rateLimits: { ...NO_RATE_LIMITS, rateLimitPreviewPerSecond: 0.001, rateLimitPreviewBurst: 1 },
    });
    expect((await testSend({ to: 'me@staff.example' })).statusCode).toBe(200);
    const limited = await testSend({ to: 'me@staff.example' });
    expect(limited.statusCode).toBe(429);
  });
});
