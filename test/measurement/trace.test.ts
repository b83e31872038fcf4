import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

const HOUR = 3_600_000;

interface Entry {
  id: string;
  at: string;
  kind: string;
  summary: string;
  causeId: string | null;
  refs: Record<string, unknown>;
  detail: Record<string, unknown>;
}

describe.each(STORE_KINDS)('the "why this, why now" trace (%s)', (kind) => {
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

  it('tells a cart reminder from the added product to the click, each step linked to its cause', async () => {
    await post('/v1/identify', {
      userId: 'ada',
      traits: { first_name: 'Ada', email: 'ada@example.com', email_opt_in: true },
    });
    const tpl = await send(t, 'POST', '/v1/templates', t.keys.admin, {
      id: 'cart-with-link',
      name: 'Cart reminder with a link',
      channel: 'email',
      subject: 'Your cart',
      html: '<p>Still thinking? <a href="https://shop.example.com/cart">Back to your cart</a></p>',
    });
    expect(tpl.statusCode, tpl.body).toBe(201);
    const j = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      recipe: 'cart_abandonment',
      params: { delay: 'PT1H', channel: 'email', templateId: 'cart-with-link' },
    });
    expect(j.statusCode, j.body).toBe(201);
    const journeyId = j.json().id as string;
    clock.advance(60_000);
    await post('/v1/track', {
      userId: 'ada',
      event: 'Product Added',
      properties: {
        cart_id: 'cart-1',
        product_id: 'p1',
        name: 'Linen shirt',
        price: 49,
        url: 'https://shop.example.com/p1',
      },
    });
    await settle();
    clock.advance(HOUR);
    await settle();
    expect(smtp.mails).toHaveLength(1);
    const click = /href="https:\/\/shop\.example\.com\/rapport(\/t\/c\/[^"]+)"/.exec(
      smtp.mails[0]!.html as string,
    )?.[1];
    expect(click, String(smtp.mails[0]!.html)).toBeDefined();
    clock.advance(5 * 60_000);
    const clicked = await t.app.inject({ method: 'GET', url: click! });
    expect(clicked.statusCode).toBe(302);
    await settle();

    const res = await send(t, 'GET', '/v1/profiles/user_id/ada/trace', t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    const entries = res.json().entries as Entry[];
    const byId = new Map(entries.map((e) => [e.id, e]));
    if (process.env.TRACE_DUMP) console.log(JSON.stringify(entries, null, 1));

    // Time order, and no entry before its cause.
    const times = entries.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    entries.forEach((e, i) => {
      if (e.causeId) expect(entries.findIndex((x) => x.id === e.causeId)).toBeLessThan(i);
    });

    // Walk back from the click to the event that started it all.
    const engagement = entries.find((e) => e.kind === 'engagement')!;
    expect(engagement.summary).toMatch(/clicked the email message/);
    const chain: Entry[] = [];
    for (
      let e: Entry | undefined = engagement;
      e;
      e = e.causeId ? byId.get(e.causeId) : undefined
    ) {
      chain.unshift(e);
    }
    expect(chain.map((e) => e.kind)).toEqual([
      'event',
      'journey_entered',
      ...chain.slice(2, -2).map(() => 'journey_step'),
      'message',
      'engagement',
    ]);
    expect(chain[0]!.summary).toBe('Did "Product Added".');
    expect(chain[1]).toMatchObject({ refs: { journeyId }, detail: { holdout: false } });
    const steps = chain.filter((e) => e.kind === 'journey_step');
    expect(steps.some((s) => s.detail.outcome === 'waiting')).toBe(true);
    expect(steps.length).toBeGreaterThanOrEqual(2);
    // The wait lasted the hour: the message was written after it.
    expect(Date.parse(chain.at(-2)!.at) - Date.parse(chain[1]!.at)).toBeGreaterThanOrEqual(HOUR);

    // The message's own story: the send allowed by consent and policy, then the click.
    const message = chain.at(-2)!;
    const statuses = entries.filter((e) => e.causeId === message.id);
    expect(statuses.map((e) => e.kind)).toEqual([
      'message_status',
      'consent_check',
      'message_status',
      'event',
      'engagement',
    ]);
    expect(statuses[1]!.detail).toMatchObject({ outcome: 'allowed', channel: 'email' });
    expect(statuses[2]!.summary).toMatch(/^Sent: consent and delivery policies allowed it/);
    expect(entries.filter((e) => e.kind === 'event').map((e) => [e.summary, e.causeId])).toEqual([
      ['Was identified (traits or identity sent).', null],
      ['Did "Product Added".', null],
      ['Recorded "Email Sent" for the message.', message.id],
    ]);
    expect(message.summary).toBe(
      `An email message on topic "cart" was written by journey "${journeyId}" at step "send_reminder".`,
    );
  });

  it('shows a consent refusal and answers 404 for an unknown person', async () => {
    await post('/v1/identify', { userId: 'bo', traits: { email: 'bo@example.com' } });
    await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      recipe: 'cart_abandonment',
      params: { delay: 'PT1H', channel: 'email' },
    });
    await post('/v1/track', {
      userId: 'bo',
      event: 'Product Added',
      properties: { cart_id: 'c', product_id: 'p1', price: 10 },
    });
    await settle();
    clock.advance(HOUR);
    await settle();
    expect(smtp.mails).toHaveLength(0);
    const entries = (await send(t, 'GET', '/v1/profiles/user_id/bo/trace', t.keys.read)).json()
      .entries as Entry[];
    const refused = entries.find((e) => e.kind === 'consent_check');
    expect(refused?.summary).toMatch(/^Not sent: consent or suppression said no \(/);
    expect(entries.find((e) => e.id === refused!.causeId)?.kind).toBe('message');

    const missing = await send(t, 'GET', '/v1/profiles/user_id/nobody/trace', t.keys.read);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe('No profile with user_id "nobody".');
  });
});
