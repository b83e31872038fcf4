import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

const HOUR = 3_600_000;

describe.each(STORE_KINDS)('journeys API and behaviour (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
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
  const track = async (userId: string, event: string, properties: Record<string, unknown> = {}) => {
    await send(t, 'POST', '/v1/track', t.keys.write, {
      userId,
      event,
      properties,
      messageId: `j${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
    });
  };
  const identify = async (userId: string, traits: Record<string, unknown>) => {
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId,
      traits,
      messageId: `j${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
    });
  };
  const create = async (definition: Record<string, unknown>) => {
    const res = await send(t, 'POST', '/v1/journeys', t.keys.admin, { definition });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; version: number }>();
  };
  const webhookJourney = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    trigger: { type: 'event', event: 'Signed Up' },
    start: 'ping',
    steps: [
      {
        id: 'ping',
        type: 'webhook',
        url: hook.url,
        body: { hello: '{{ profile.traits.name }}' },
        next: 'done',
      },
      { id: 'done', type: 'exit' },
    ],
    ...extra,
  });

  it('lists recipes and builds each one', async () => {
    const res = await send(t, 'GET', '/v1/journey-recipes', t.keys.read);
    const ids = (res.json().recipes as { id: string }[]).map((x) => x.id).sort();
    expect(ids).toEqual(
      [
        'back_in_stock',
        'birthday',
        'browse_abandonment',
        'cart_abandonment',
        'post_purchase',
        'price_drop',
        'replenishment',
        'welcome_series',
        'win_back',
      ].sort(),
    );
    const bad = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      recipe: 'cart_abandonment',
      params: { delay: 'soon', channel: 'pigeon' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['params.channel', 'params.delay']);
  });

  it('answers bad definitions with 400 and the path of each problem', async () => {
    const res = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Broken',
        trigger: { type: 'segment', segmentId: 'seg_missing' },
        start: 'a',
        steps: [
          { id: 'a', type: 'wait', duration: 'P1M', next: 'b' },
          { id: 'b', type: 'exit' },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual([
      'definition.steps.0.duration',
    ]);
    const graph = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Broken graph',
        trigger: { type: 'event', event: 'X' },
        start: 'b',
        steps: [
          {
            id: 'b',
            type: 'branch',
            cases: [{ condition: { trait: 'x', shout: 1 }, next: 'nowhere' }],
            default: 'b',
          },
        ],
      },
    });
    expect(graph.statusCode).toBe(400);
    const paths = graph.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'definition.steps.0.cases.0.next',
        'definition.steps.0.cases.0.condition.shout',
      ]),
    );
    const noSegment = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'S',
        trigger: { type: 'segment', segmentId: 'seg_missing' },
        start: 'x',
        steps: [{ id: 'x', type: 'exit' }],
      },
    });
    expect(noSegment.statusCode).toBe(400);
    expect(noSegment.json().error.details[0].path).toBe('definition.trigger.segmentId');
  });

  it('branches on traits and the trigger, updates the profile, and re-evaluates segments', async () => {
    const vip = (
      await send(t, 'POST', '/v1/segments', t.keys.admin, {
        name: 'VIP',
        definition: { trait: 'tier', eq: 'vip' },
      })
    ).json();
    await t.ctx.segments.backfillAll();
    const j = await create({
      name: 'Tiering',
      trigger: { type: 'event', event: 'Order Completed' },
      start: 'big',
      steps: [
        {
          id: 'big',
          type: 'branch',
          cases: [{ condition: { trigger: 'properties.revenue', gte: 500 }, next: 'promote' }],
          default: 'done',
        },
        { id: 'promote', type: 'update_profile', set: { tier: 'vip' }, next: 'tell' },
        { id: 'tell', type: 'webhook', url: hook.url, body: { tier: 'vip' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
      reentry: { policy: 'always' },
    });
    await identify('rich', { name: 'Rich' });
    await identify('modest', { name: 'Modest' });
    await track('modest', 'Order Completed', { order_id: 'm1', revenue: 20 });
    await track('rich', 'Order Completed', { order_id: 'r1', revenue: 900 });
    await settle();
    expect(hook.received).toHaveLength(1);
    const rich = (await send(t, 'GET', '/v1/profiles/user_id/rich', t.keys.read)).json();
    expect(rich.traits.tier).toBe('vip');
    expect(rich.segments.map((s: { id: string }) => s.id)).toEqual([vip.id]);
    const stats = (await send(t, 'GET', `/v1/journeys/${j.id}/stats`, t.keys.read)).json();
    const step = (id: string) =>
      stats.steps.find((s: { stepId: string }) => s.stepId === id).treated;
    expect(step('big').entered).toBe(2);
    expect(step('promote').entered).toBe(1);
    expect(step('done').completed).toBe(2);
  });

  it('enrols a holdout that is tracked but never messaged', async () => {
    await create(webhookJourney('Held', { holdoutPercent: 100 }));
    for (let i = 0; i < 5; i++) await track(`h${i}`, 'Signed Up');
    await settle();
    expect(hook.received).toHaveLength(0);
    const messages = (await send(t, 'GET', '/v1/messages?status=suppressed', t.keys.read)).json()
      .messages;
    expect(messages).toHaveLength(5);
    expect(messages[0].reason).toBe('holdout');
  });

  it('keeps running people on their version when the journey changes', async () => {
    const def = {
      name: 'Versioned',
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'wait',
      steps: [
        { id: 'wait', type: 'wait', duration: 'PT1H', next: 'ping' },
        { id: 'ping', type: 'webhook', url: hook.url, body: { v: 1 }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    };
    const j = await create(def);
    await track('early', 'Signed Up');
    await settle();
    const v2 = await send(t, 'PUT', `/v1/journeys/${j.id}`, t.keys.admin, {
      ...def,
      steps: [def.steps[0], { ...def.steps[1], body: { v: 2 } }, def.steps[2]],
    });
    expect(v2.json().version, v2.body).toBe(2);
    await track('late', 'Signed Up');
    await settle();
    clock.advance(HOUR);
    await settle();
    const bodies = hook.received.map((r) => r.body.v).sort();
    expect(bodies).toEqual([1, 2]);
  });

  it('takes no entries while paused and starts API-triggered journeys', async () => {
    const j = await create(webhookJourney('Pausable'));
    await send(t, 'POST', `/v1/journeys/${j.id}/pause`, t.keys.admin);
    await track('paused-1', 'Signed Up');
    await settle();
    expect(hook.received).toHaveLength(0);
    await send(t, 'POST', `/v1/journeys/${j.id}/activate`, t.keys.admin);
    await track('paused-2', 'Signed Up');
    await settle();
    expect(hook.received).toHaveLength(1);

    const api = await create({ ...webhookJourney('By API'), trigger: { type: 'api' } });
    const res = await send(t, 'POST', `/v1/journeys/${api.id}/trigger`, t.keys.write, {
      userId: 'caller',
      properties: { reason: 'manual' },
    });
    expect(res.statusCode).toBe(202);
    await settle();
    expect(hook.received).toHaveLength(2);
    const notApi = await send(t, 'POST', `/v1/journeys/${j.id}/trigger`, t.keys.write, {
      userId: 'x',
    });
    expect(notApi.statusCode).toBe(400);
  });

  it('simulates a draft on history without sending anything', async () => {
    for (let i = 0; i < 4; i++)
      await track(`sim${i}`, 'Product Added', { cart_id: `c${i}`, product_id: 'p' });
    clock.advance(10 * 60_000);
    await track('sim0', 'Order Completed', { cart_id: 'c0', order_id: 'o0' });
    await settle();
    const j = (
      await send(t, 'POST', '/v1/journeys', t.keys.admin, {
        recipe: 'cart_abandonment',
        params: { delay: 'PT1H', channel: 'webhook', webhookUrl: hook.url },
        activate: false,
      })
    ).json();
    expect(j.status).toBe('draft');
    clock.advance(2 * HOUR);
    const res = await send(t, 'POST', `/v1/journeys/${j.id}/simulate`, t.keys.read, {
      from: new Date(clock.now() - 3 * HOUR).toISOString(),
      to: new Date(clock.now()).toISOString(),
    });
    expect(res.statusCode).toBe(200);
    const sim = res.json();
    expect(sim.people).toBe(4);
    expect(sim.runs).toBe(4);
    expect(sim.treated.converted + sim.holdout.converted).toBe(1);
    expect(sim.effects.send).toBe(3);
    expect(hook.received).toHaveLength(0);
    const runs = await t.ctx.store.db.selectFrom('journey_runs').select('id').execute();
    expect(runs).toHaveLength(0);
  });
});
