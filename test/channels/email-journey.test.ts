import { createECDH, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

const HOUR = 3_600_000;

describe.each(STORE_KINDS)('e-mail journeys, consent and delivery policies (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeEach(async () => {
    smtp = await startSmtp();
    clock = new ManualClock(Date.UTC(2026, 4, 12, 9, 0));
    t = await createTestApp(kind, {
      clock,
      smtpUrl: smtp.url,
      publicUrl: 'https://shop.example.com/rapport',
    });
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com', fromName: 'Shop' },
    });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
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
  const addToCart = async (userId: string, cart: string) => {
    await post('/v1/track', {
      userId,
      event: 'Product Added',
      properties: { cart_id: cart, product_id: 'p1', name: 'Linen shirt', price: 49, quantity: 1 },
    });
    await post('/v1/track', {
      userId,
      event: 'Product Added',
      properties: { cart_id: cart, product_id: 'p2', name: 'Straw hat', price: 25, quantity: 2 },
    });
  };

  it('sends a real cart reminder with the name and products; one-click unsubscribe stops e-mail but not push', async () => {
    await post('/v1/identify', {
      userId: 'ada',
      traits: { first_name: 'Ada', email: 'ada@example.com', email_opt_in: true },
    });
    const j = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      recipe: 'cart_abandonment',
      params: { delay: 'PT1H', channel: 'email' },
    });
    expect(j.statusCode, j.body).toBe(201);
    await addToCart('ada', 'cart-1');
    await settle();
    clock.advance(HOUR);
    await settle();

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.subject).toBe('You left something in your cart');
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('ada@example.com');
    expect(mail.from?.text).toBe('"Shop" <hello@shop.example.com>');
    expect(mail.html).toContain('Hi Ada,');
    expect(mail.html).toContain('Linen shirt');
    expect(mail.html).toContain('Straw hat');
    expect(mail.text).toContain('Linen shirt');
    expect(mail.messageId).toMatch(/^<msg_.+@shop\.example\.com>$/);
    // mailparser reads List-* headers into one `list` entry.
    const list = mail.headers.get('list') as {
      unsubscribe: { url: string };
      'unsubscribe-post': { name: string };
    };
    expect(list['unsubscribe-post']).toEqual({ name: 'List-Unsubscribe=One-Click' });
    const unsubscribeUrl = list.unsubscribe.url;
    expect(unsubscribeUrl).toMatch(/^https:\/\/shop\.example\.com\/rapport\/unsubscribe\//);

    // The e-mail's open pixel and a tracked link feed engagement back.
    const pixel = /src="https:\/\/shop\.example\.com\/rapport(\/t\/o\/[^"]+)"/.exec(
      mail.html as string,
    )?.[1];
    expect(pixel).toBeDefined();
    const opened = await t.app.inject({ method: 'GET', url: pixel! });
    expect(opened.headers['content-type'], opened.body).toContain('image/gif');
    await settle();
    const events = (
      await send(t, 'GET', '/v1/events?userId=ada&event=Email%20Opened', t.keys.read)
    ).json().events;
    expect(events).toHaveLength(1);
    expect(events[0].payload.properties).toMatchObject({
      channel: 'email',
      journey_id: j.json().id,
    });

    // Push still works after e-mail is unsubscribed: subscribe, unsubscribe from the header.
    const path = new URL(unsubscribeUrl).pathname.replace(/^\/rapport/, '');
    const oneClick = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    const consent = (await send(t, 'GET', '/v1/profiles/user_id/ada/consent', t.keys.read)).json();
    expect(consent.channels.email).toMatchObject({ state: 'denied', source: 'unsubscribe' });

    await addToCart('ada', 'cart-2');
    await settle();
    clock.advance(HOUR);
    await settle();
    expect(smtp.mails).toHaveLength(1);
    const skipped = (await send(t, 'GET', '/v1/messages?status=skipped', t.keys.read)).json()
      .messages;
    expect(skipped).toHaveLength(1);
    expect(skipped[0].reason).toMatch(/^channel_denied/);

    // Web push still reaches her: a real Web Push request to a push endpoint on loopback.
    const pushes: { headers: Record<string, string | string[] | undefined>; body: Buffer }[] = [];
    const endpoint = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        pushes.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.statusCode = 201;
        res.end();
      });
    });
    await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r));
    try {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const sub = await send(t, 'POST', '/v1/push/subscriptions', t.keys.write, {
        userId: 'ada',
        subscription: {
          endpoint: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/push/ada`,
          keys: {
            p256dh: ecdh.getPublicKey().toString('base64url'),
            auth: randomBytes(16).toString('base64url'),
          },
        },
      });
      expect(sub.statusCode, sub.body).toBe(201);
      await send(t, 'POST', '/v1/journeys', t.keys.admin, {
        definition: {
          name: 'Push ping',
          trigger: { type: 'event', event: 'Ping' },
          start: 'p',
          steps: [
            {
              id: 'p',
              type: 'send',
              channel: 'push',
              message: {
                content: {
                  pushTitle: 'Hi {{ profile.traits.first_name }}',
                  pushBody: 'Still there?',
                },
              },
              next: 'x',
            },
            { id: 'x', type: 'exit' },
          ],
        },
      });
      await post('/v1/track', { userId: 'ada', event: 'Ping' });
      await settle();
      expect(pushes).toHaveLength(1);
      expect(pushes[0]!.headers['content-encoding']).toBe('aes128gcm');
      expect(String(pushes[0]!.headers.authorization)).toMatch(
        /^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/,
      );
      expect(smtp.mails).toHaveLength(1);
    } finally {
      await new Promise((r) => endpoint.close(r));
    }
  });

  it('never e-mails without consent under the opt-in policy, and records why', async () => {
    await post('/v1/identify', {
      userId: 'bo',
      traits: { first_name: 'Bo', email: 'bo@example.com' },
    });
    await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      recipe: 'cart_abandonment',
      params: { delay: 'PT1H', channel: 'email' },
    });
    await addToCart('bo', 'c');
    await settle();
    clock.advance(HOUR);
    await settle();
    expect(smtp.mails).toHaveLength(0);
    const m = (await send(t, 'GET', '/v1/messages', t.keys.read)).json().messages[0];
    expect(m).toMatchObject({ status: 'skipped' });
    expect(m.reason).toMatch(/^channel_not_granted/);
  });

  it('caps e-mail across journeys by priority, defers quiet hours, and waits for the best hour', async () => {
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
      delivery: {
        caps: [{ channel: 'email', max: 1, per: 'PT16H' }],
        quietHours: { start: '21:00', end: '08:00' },
        quietMode: 'defer',
      },
      consent: { channels: { email: 'opt_out' } },
    });
    const mk = (name: string, priority: string) => ({
      name,
      trigger: { type: 'event', event: 'Signed Up' },
      start: 's',
      steps: [
        {
          id: 's',
          type: 'send',
          channel: 'email',
          priority,
          message: { content: { subject: name, html: '<p>{{ profile.traits.first_name }}</p>' } },
          next: 'x',
        },
        { id: 'x', type: 'exit' },
      ],
    });
    await send(t, 'POST', '/v1/journeys', t.keys.admin, { definition: mk('Low', 'low') });
    await send(t, 'POST', '/v1/journeys', t.keys.admin, { definition: mk('High', 'high') });
    await post('/v1/identify', {
      userId: 'cy',
      traits: { first_name: 'Cy', email: 'cy@example.com' },
      context: { timezone: 'Europe/Paris' },
    });
    // 22:30 in Paris: quiet hours.
    clock.set(Date.UTC(2026, 4, 12, 20, 30));
    await post('/v1/track', { userId: 'cy', event: 'Signed Up' });
    await settle();
    expect(smtp.mails).toHaveLength(0);
    clock.set(Date.UTC(2026, 4, 13, 5, 59)); // 07:59 Paris
    await settle();
    expect(smtp.mails).toHaveLength(0);
    clock.set(Date.UTC(2026, 4, 13, 6, 0)); // 08:00 Paris
    await settle();
    expect(smtp.mails.map((m) => m.subject)).toEqual(['High']);
    const capped = (await send(t, 'GET', '/v1/messages?status=capped', t.keys.read)).json()
      .messages;
    expect(capped).toHaveLength(1);
    expect(capped[0].payload.message.content.subject).toBe('Low');
  });

  it("delivers at the person's best hour within the window, learned from their engagement", async () => {
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
      delivery: { bestHour: 14 },
      consent: { channels: { email: 'opt_out' } },
    });
    await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Timed',
        trigger: { type: 'event', event: 'Signed Up' },
        start: 's',
        steps: [
          {
            id: 's',
            type: 'send',
            channel: 'email',
            timing: { bestHourWithin: 'P1D' },
            message: { content: { subject: 'Timed', html: '<p>Hello</p>' } },
            next: 'x',
          },
          { id: 'x', type: 'exit' },
        ],
      },
    });
    // Dee reads e-mail in the late afternoon (UTC): opens at 16:xx weigh three times other activity.
    clock.set(Date.UTC(2026, 4, 10, 16, 5));
    await post('/v1/identify', { userId: 'dee', traits: { email: 'dee@example.com' } });
    for (const day of [10, 11]) {
      clock.set(Date.UTC(2026, 4, day, 16, 20));
      await post('/v1/track', {
        userId: 'dee',
        event: 'Email Opened',
        properties: { channel: 'email' },
      });
    }
    clock.set(Date.UTC(2026, 4, 12, 9, 0));
    await post('/v1/track', { userId: 'dee', event: 'Signed Up' });
    await settle();
    clock.set(Date.UTC(2026, 4, 12, 15, 59));
    await settle();
    expect(smtp.mails).toHaveLength(0);
    clock.set(Date.UTC(2026, 4, 12, 16, 0));
    await settle();
    expect(smtp.mails.map((m) => m.subject)).toEqual(['Timed']);
  });
});
