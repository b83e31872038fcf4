import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/shared/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

describe.each(STORE_KINDS)('cart abandonment over a webhook (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 1, 10));
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
      const b = await t.ctx.journeys.runDueTimers();
      const c = await t.ctx.outbox.step();
      if (a === 0 && !b && !c) return;
    }
  };
  let n = 0;
  const track = async (userId: string, event: string, properties: Record<string, unknown>) => {
    const res = await send(t, 'POST', '/v1/track', t.keys.write, {
      userId,
      event,
      properties,
      messageId: `e${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
    });
    expect(res.statusCode).toBe(200);
  };

  it('sends exactly one reminder, for the cart that was not ordered, with its products', async () => {
    const created = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      recipe: 'cart_abandonment',
      params: { delay: 'PT3S', channel: 'webhook', webhookUrl: hook.url },
    });
    expect(created.statusCode).toBe(201);
    const journey = created.json();
    expect(journey.status).toBe('active');

    await track('ada', 'Product Added', {
      cart_id: 'cart-1',
      product_id: 'p1',
      name: 'Boots',
      price: 90,
      quantity: 1,
    });
    await track('ada', 'Product Added', {
      cart_id: 'cart-1',
      product_id: 'p2',
      name: 'Socks',
      price: 5,
      quantity: 2,
    });
    await track('bob', 'Product Added', {
      cart_id: 'cart-2',
      product_id: 'p3',
      name: 'Hat',
      price: 20,
      quantity: 1,
    });
    await settle();
    clock.advance(1000);
    await track('bob', 'Order Completed', { cart_id: 'cart-2', order_id: 'o-2', revenue: 20 });
    await settle();
    expect(hook.received).toHaveLength(0);

    clock.advance(2000);
    await settle();
    expect(hook.received).toHaveLength(1);
    const [reminder] = hook.received;
    expect(reminder!.body).toMatchObject({
      type: 'journey.message',
      key: 'cart-1',
      journey: { id: journey.id },
      items: [
        expect.objectContaining({ product_id: 'p1', name: 'Boots', price: 90, quantity: 1 }),
        expect.objectContaining({ product_id: 'p2', name: 'Socks', price: 5, quantity: 2 }),
      ],
    });
    expect(reminder!.headers['idempotency-key']).toBe(reminder!.body.idempotencyKey);

    clock.advance(10 * 86_400_000);
    await settle();
    expect(hook.received).toHaveLength(1);

    const stats = (await send(t, 'GET', `/v1/journeys/${journey.id}/stats`, t.keys.read)).json();
    expect(stats.runs.treated + stats.runs.holdout).toBe(2);
    expect(stats.converted.treated + stats.converted.holdout).toBe(1);
    expect(stats.messages).toEqual({ sent: 1 });
    const messages = (
      await send(t, 'GET', `/v1/messages?journeyId=${journey.id}`, t.keys.read)
    ).json().messages;
    expect(messages).toHaveLength(1);
    expect(messages[0].history.map((h: { status: string }) => h.status)).toEqual([
      'queued',
      'sent',
    ]);

    const where = (await send(t, 'GET', '/v1/profiles/user_id/bob/journeys', t.keys.read)).json();
    expect(where.runs[0]).toMatchObject({
      journeyId: journey.id,
      status: 'converted',
      key: 'cart-2',
    });
  });
});

describe.each(STORE_KINDS)('cart abandonment in real time (%s)', (kind) => {
  it('reminds about the unordered cart about 3 seconds later, through the running loops', async () => {
    const hook = await startReceiver();
    const t = await createTestApp(kind, { background: true, clock: systemClock });
    try {
      const created = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
        recipe: 'cart_abandonment',
        params: { delay: 'PT3S', channel: 'webhook', webhookUrl: hook.url },
      });
      expect(created.statusCode).toBe(201);
      const batch = (events: unknown[]) =>
        send(t, 'POST', '/v1/batch', t.keys.write, { batch: events });
      const added = Date.now();
      await batch([
        {
          type: 'track',
          userId: 'ann',
          event: 'Product Added',
          properties: { cart_id: 'A', product_id: 'lamp', price: 40 },
        },
        {
          type: 'track',
          userId: 'ben',
          event: 'Product Added',
          properties: { cart_id: 'B', product_id: 'rug', price: 90 },
        },
      ]);
      await new Promise((r) => setTimeout(r, 500));
      await batch([
        {
          type: 'track',
          userId: 'ben',
          event: 'Order Completed',
          properties: { cart_id: 'B', order_id: 'o-B', revenue: 90 },
        },
      ]);
      while (hook.received.length === 0 && Date.now() - added < 10_000) {
        await new Promise((r) => setTimeout(r, 25));
      }
      await new Promise((r) => setTimeout(r, 1500));
      expect(hook.received).toHaveLength(1);
      const reminder = hook.received[0]!;
      expect(reminder.body).toMatchObject({
        key: 'A',
        items: [expect.objectContaining({ product_id: 'lamp' })],
      });
      const after = reminder.at - added;
      expect(after).toBeGreaterThanOrEqual(3000);
      expect(after).toBeLessThan(6000);
    } finally {
      await t.close();
      await hook.close();
    }
  });
});
