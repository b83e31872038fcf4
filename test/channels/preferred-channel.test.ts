import { createECDH, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelOrder } from '../../src/messaging/preferred-channel.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { recipientsOf, startSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe('channelOrder', () => {
  it('puts the preferred channel first when allowed, else keeps the fallback order', () => {
    expect(channelOrder(['email', 'push'], 'push')).toEqual(['push', 'email']);
    expect(channelOrder(['email', 'push'], null)).toEqual(['email', 'push']);
    expect(channelOrder(['email', 'push'], 'webhook')).toEqual(['email', 'push']);
    expect(channelOrder(['push'], 'email')).toEqual(['push']);
  });
});

describe.each(STORE_KINDS)('send steps on channel "preferred" (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let endpoint: Server;
  const pushes: string[] = [];
  beforeEach(async () => {
    pushes.length = 0;
    smtp = await startSmtp();
    endpoint = createServer((req, res) => {
      pushes.push(req.url ?? '');
      req.resume();
      req.on('end', () => {
        res.statusCode = 201;
        res.end();
      });
    });
    await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r));
    clock = new ManualClock(Date.UTC(2026, 4, 12, 9, 0));
    t = await createTestApp(kind, {
      clock,
      smtpUrl: smtp.url,
      publicUrl: 'https://rapport.example.net',
    });
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
    });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
    await new Promise((r) => endpoint.close(r));
  });

  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      const a = await t.ctx.profiles.drain();
      const b = await t.ctx.journeys.runDueTimers();
      const c = await t.ctx.outbox.step();
      if (a === 0 && !b && !c) return;
    }
  };
  let n = 0;
  const post = (path: string, body: Record<string, unknown>) =>
    send(t, 'POST', path, t.keys.write, {
      messageId: `x${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
      ...body,
    });
  const person = async (userId: string, traits: Record<string, unknown>, push: boolean) => {
    await post('/v1/identify', {
      userId,
      traits: { first_name: userId, email_opt_in: true, ...traits },
    });
    if (!push) return;
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const sub = await send(t, 'POST', '/v1/push/subscriptions', t.keys.write, {
      userId,
      subscription: {
        endpoint: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/push/${userId}`,
        keys: {
          p256dh: ecdh.getPublicKey().toString('base64url'),
          auth: randomBytes(16).toString('base64url'),
        },
      },
    });
    expect(sub.statusCode, sub.body).toBe(201);
  };
  const journey = (step: Record<string, unknown>) =>
    send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Greeting',
        trigger: { type: 'event', event: 'Greet' },
        start: 'g',
        steps: [
          {
            id: 'g',
            type: 'send',
            channel: 'preferred',
            message: { templateId: 'birthday_greeting' },
            next: 'x',
            ...step,
          },
          { id: 'x', type: 'exit' },
        ],
      },
    });

  it("sends on each person's preferred channel, falls back in order, and records the channel used", async () => {
    // Pia engages with push, not e-mail: push is her preferred channel.
    await person('pia', { email: 'pia@example.com' }, true);
    await post('/v1/track', { userId: 'pia', event: 'Push Notification Opened', properties: {} });
    await post('/v1/track', { userId: 'pia', event: 'Push Notification Opened', properties: {} });
    // Eve has no preference yet: the first fallback, e-mail.
    await person('eve', { email: 'eve@example.com' }, true);
    // Pat prefers push but has no subscription: e-mail it is.
    await person('pat', { email: 'pat@example.com' }, false);
    await post('/v1/track', { userId: 'pat', event: 'Push Notification Opened', properties: {} });
    // Nia can be reached nowhere.
    await person('nia', {}, false);
    await settle();
    const computed = await send(t, 'GET', '/v1/profiles/user_id/pia', t.keys.read);
    expect(computed.json().computed.preferred_channel).toBe('push');

    const j = await journey({});
    expect(j.statusCode, j.body).toBe(201);
    for (const userId of ['pia', 'eve', 'pat', 'nia'])
      await post('/v1/track', { userId, event: 'Greet' });
    await settle();

    expect(pushes).toEqual(['/push/pia']);
    expect(smtp.mails.flatMap(recipientsOf).sort()).toEqual(['eve@example.com', 'pat@example.com']);
    const messages = (await send(t, 'GET', '/v1/messages?limit=100', t.keys.read)).json()
      .messages as { status: string; channel: string; reason: string | null }[];
    expect(messages.map((m) => [m.channel, m.status]).sort()).toEqual([
      ['email', 'sent'],
      ['email', 'sent'],
      ['preferred', 'skipped'],
      ['push', 'sent'],
    ]);
    expect(messages.find((m) => m.status === 'skipped')!.reason).toBe(
      'no_channel: email: no e-mail address; push: no push subscription',
    );
  });

  it('keeps to the fallback list a step gives, and refuses a fallback without "preferred"', async () => {
    await person('pia', { email: 'pia@example.com' }, true);
    await post('/v1/track', { userId: 'pia', event: 'Push Notification Opened', properties: {} });
    await settle();
    const j = await journey({ fallback: ['email'] });
    expect(j.statusCode, j.body).toBe(201);
    await post('/v1/track', { userId: 'pia', event: 'Greet' });
    await settle();
    expect(pushes).toEqual([]);
    expect(smtp.mails.flatMap(recipientsOf)).toEqual(['pia@example.com']);

    const bad = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Bad',
        trigger: { type: 'event', event: 'Greet' },
        start: 'g',
        steps: [
          {
            id: 'g',
            type: 'send',
            channel: 'email',
            fallback: ['push'],
            message: { templateId: 'birthday_greeting' },
            next: 'x',
          },
          { id: 'x', type: 'exit' },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain(
      'only channel \\"preferred\\" takes a fallback',
    );
    const twice = await journey({ fallback: ['email', 'email'] });
    expect(twice.statusCode).toBe(400);
    expect(JSON.stringify(twice.json().error.details)).toContain('must not repeat a channel');
  });
});
