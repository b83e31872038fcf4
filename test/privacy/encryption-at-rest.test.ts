import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { findClear } from '../helpers/raw-scan.js';
import { startSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

const HOUR = 3_600_000;
export const KEY = Buffer.alloc(32, 7).toString('base64');
const EMAIL = 'Adalinda.Lovelacewood@Example.com';
const PERSONAL = [
  'adalinda.lovelacewood@example.com',
  'Adalinda',
  'Lovelacewood',
  '447700900123',
  '7700 900123',
  'Analytical Row',
];

describe.each(STORE_KINDS)('personal data encrypted at rest (%s)', (kind) => {
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
      encryption: { key: KEY },
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

  it('keeps no e-mail, phone, name or address in clear in any table or file, yet everything works', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({
      personalData: 'encrypted',
    });
    const segment = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Adas',
      definition: { trait: 'last_name', exists: true },
    });
    expect(segment.statusCode, segment.body).toBe(201);
    const journey = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      recipe: 'cart_abandonment',
      params: { delay: 'PT1H', channel: 'email' },
    });
    expect(journey.statusCode, journey.body).toBe(201);
    await post('/v1/identify', {
      userId: 'u-42',
      traits: {
        first_name: 'Adalinda',
        last_name: 'Lovelacewood',
        email: EMAIL,
        phone: '+44 7700 900123',
        address: { street: '12 Analytical Row', city: 'London' },
        email_opt_in: true,
      },
    });
    await post('/v1/track', {
      userId: 'u-42',
      event: 'Product Added',
      properties: { cart_id: 'c1', product_id: 'p1', name: 'Linen shirt', price: 49, quantity: 1 },
      context: { traits: { email: EMAIL } },
    });
    await settle();
    clock.advance(HOUR);
    await settle();

    // Delivery: the template rendered the first name and the mail went to the address.
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect((mail.to && 'text' in mail.to ? mail.to.text : '').toLowerCase()).toBe(
      'adalinda.lovelacewood@example.com',
    );
    expect(mail.html).toContain('Hi Adalinda,');

    // Lookups by e-mail and phone go through the blind index; reads come back in clear.
    for (const path of [
      `/v1/profiles/email/${encodeURIComponent(EMAIL.toUpperCase())}`,
      `/v1/profiles/phone/${encodeURIComponent('+447700900123')}`,
    ]) {
      const res = await send(t, 'GET', path, t.keys.read);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
      expect(res.json().identities.email).toEqual(['adalinda.lovelacewood@example.com']);
      expect(res.json().traits).toMatchObject({
        first_name: 'Adalinda',
        last_name: 'Lovelacewood',
      });
    }
    const members = await send(t, 'GET', `/v1/segments/${segment.json().id}/members`, t.keys.read);
    expect(members.json().members).toHaveLength(1);
    const events = await send(
      t,
      'GET',
      '/v1/events?userId=u-42&event=Product%20Added',
      t.keys.read,
    );
    expect(events.json().events[0].payload.context.traits.email).toBe(EMAIL);
    const messages = await send(t, 'GET', '/v1/messages', t.keys.read);
    expect(messages.statusCode, messages.body).toBe(200);
    expect(JSON.stringify(messages.json()).toLowerCase()).toContain(
      'adalinda.lovelacewood@example.com',
    );

    expect(await findClear(t.testStore.store, PERSONAL)).toEqual([]);
  });
});
