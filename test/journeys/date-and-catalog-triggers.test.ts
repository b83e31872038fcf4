import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

const DAY = 86_400_000;

describe.each(STORE_KINDS)('date and catalog triggers (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 2, 10, 12));
    t = await createTestApp(kind, { clock });
    hook = await startReceiver();
  });
  afterEach(async () => {
    await t.close();
    await hook.close();
  });
  const settle = async () => {
    for (let i = 0; i < 10; i++) {
      const a = await t.ctx.profiles.drain();
      const b = await t.ctx.journeys.runTriggers();
      const c = await t.ctx.journeys.runDueTimers();
      const d = await t.ctx.outbox.step();
      if (a === 0 && !b && !c && !d) return;
    }
  };
  let n = 0;
  const post = (path: string, body: unknown) =>
    send(t, 'POST', path, t.keys.write, {
      messageId: `d${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
      ...(body as object),
    });

  it('wishes a happy birthday at 09:00 local time, once a year', async () => {
    await post('/v1/identify', {
      userId: 'oslo',
      traits: { birthday: '1990-03-12' },
      context: { timezone: 'Europe/Oslo' },
    });
    await post('/v1/identify', { userId: 'nobirthday', traits: { name: 'x' } });
    await settle();
    const created = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      recipe: 'birthday',
      params: { channel: 'webhook', webhookUrl: hook.url },
    });
    expect(created.statusCode, created.body).toBe(201);
    // A person who arrives after the journey is scheduled by the pipeline.
    await post('/v1/identify', {
      userId: 'ny',
      traits: { birthday: '--03-12' },
      context: { timezone: 'America/New_York' },
    });
    await settle();
    // 12 March, 07:59 UTC = 08:59 in Oslo: nothing yet.
    clock.set(Date.UTC(2026, 2, 12, 7, 59));
    await settle();
    expect(hook.received).toHaveLength(0);
    clock.set(Date.UTC(2026, 2, 12, 8, 0));
    await settle();
    expect(hook.received).toHaveLength(1);
    // 09:00 in New York is 13:00 UTC (EDT from 8 March).
    clock.set(Date.UTC(2026, 2, 12, 13, 0));
    await settle();
    expect(hook.received).toHaveLength(2);
    clock.set(Date.UTC(2026, 5, 1));
    await settle();
    expect(hook.received).toHaveLength(2);
    // US daylight time starts on 14 March in 2027: 09:00 EST is 14:00 UTC.
    clock.set(Date.UTC(2027, 2, 12, 14, 0));
    await settle();
    expect(hook.received).toHaveLength(4);
    expect(hook.received.map((r) => r.body.key)).toEqual([
      '2026-03-12',
      '2026-03-12',
      '2027-03-12',
      '2027-03-12',
    ]);
  });

  it('alerts people who viewed an item when its price drops, and only them', async () => {
    await send(t, 'PUT', '/v1/catalog/items', t.keys.write, {
      items: [
        { id: 'boot', title: 'Boot', price: 100 },
        { id: 'hat', title: 'Hat', price: 20 },
      ],
    });
    const created = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      recipe: 'price_drop',
      params: { channel: 'webhook', webhookUrl: hook.url },
    });
    expect(created.statusCode, created.body).toBe(201);
    await settle();
    await post('/v1/track', {
      userId: 'fan',
      event: 'Product Viewed',
      properties: { product_id: 'boot' },
    });
    await post('/v1/track', {
      userId: 'other',
      event: 'Product Viewed',
      properties: { product_id: 'hat' },
    });
    await settle();
    clock.advance(DAY);
    await send(t, 'PUT', '/v1/catalog/items', t.keys.write, { items: [{ id: 'boot', price: 80 }] });
    await settle();
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.body.trigger).toMatchObject({
      event: 'Product Price Dropped',
      properties: { product_id: 'boot', old_price: 100, new_price: 80 },
    });
    const who = (await send(t, 'GET', '/v1/profiles/user_id/fan/journeys', t.keys.read)).json();
    expect(who.runs).toHaveLength(1);
    // A price rise alerts nobody.
    await send(t, 'PUT', '/v1/catalog/items', t.keys.write, { items: [{ id: 'boot', price: 90 }] });
    await settle();
    expect(hook.received).toHaveLength(1);
  });
});
