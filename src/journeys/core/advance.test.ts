import { describe, expect, it } from 'vitest';
import { advance } from './advance.js';
import type { JourneyDefinitionInput } from './definition.js';
import { seededRandom } from '../../shared/index.js';
import { createRun, HISTORY_LIMIT } from './run-state.js';
import {
  createTestEnv,
  createTestProfile,
  DAY,
  define,
  HOUR,
  RunDriver,
  T0,
  trackEvent,
} from '../../../test/factories/journeys.js';

const exit = { id: 'done', type: 'exit' } as const;
const sendTo = (id: string, next: string) =>
  ({ id, type: 'send', channel: 'webhook', message: { templateId: id }, next }) as const;

function journey(overrides: Partial<JourneyDefinitionInput>) {
  return define({
    id: 'j',
    name: 'Test',
    trigger: { type: 'event', event: 'Product Added', key: 'properties.cart_id' },
    start: 'first',
    steps: [exit],
    ...overrides,
  });
}

const added = (at: number, cart = 'c1', product = 'p1', extra: Record<string, unknown> = {}) =>
  trackEvent('Product Added', at, { cart_id: cart, product_id: product, ...extra });

describe('advance: waits', () => {
  it('parks on a duration wait and resumes only when the timer is due', () => {
    const def = journey({
      steps: [
        { id: 'first', type: 'wait', duration: 'PT24H', next: 'send' },
        sendTo('send', 'done'),
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0), undefined, { key: 'c1' });
    expect(d.run).toMatchObject({ status: 'waiting', stepId: 'first', wakeAt: T0 + DAY });
    expect(d.effects).toEqual([
      expect.objectContaining({ type: 'schedule', stepId: 'first', wakeAt: T0 + DAY, at: T0 }),
    ]);
    const early = advance(def, d.run, { kind: 'timer' }, createTestEnv(T0 + DAY - 1));
    expect(early).toEqual({ run: d.run, effects: [], changed: false });
    d.fire();
    expect(d.run).toMatchObject({ status: 'completed', stepId: 'done', endedAt: T0 + DAY });
    expect(d.of('send')).toHaveLength(1);
    expect(d.of('complete')).toEqual([expect.objectContaining({ reason: 'exit_step' })]);
  });

  it('passes a zero wait straight through', () => {
    const def = journey({
      steps: [{ id: 'first', type: 'wait', duration: 'PT0S', next: 'done' }, exit],
    });
    const d = new RunDriver(def, added(T0));
    expect(d.run.status).toBe('completed');
    expect(d.run.history.map((h) => h.outcome)).toEqual(['passed', 'exit']);
  });

  it('waits until 09:00 local across the spring-forward night (22 hours, not 24)', () => {
    const def = journey({
      timezone: 'America/New_York',
      steps: [{ id: 'first', type: 'wait', until: { time: '09:00' }, next: 'done' }, exit],
    });
    // Saturday 28 March 2026, 10:00 in Paris (09:00 UTC); Paris moves to CEST that night.
    const sat = Date.UTC(2026, 2, 28, 9);
    const env = (now: number) =>
      createTestEnv(now, { profile: createTestProfile({ timezone: 'Europe/Paris' }) });
    const d = new RunDriver(def, added(sat), env);
    expect(d.run.wakeAt).toBe(Date.UTC(2026, 2, 29, 7)); // Sunday 09:00 CEST
    expect(d.run.wakeAt! - sat).toBe(22 * HOUR);
    // Without a profile zone the journey's zone applies: 09:00 EDT = 13:00 UTC.
    const ny = new RunDriver(def, added(sat));
    expect(ny.run.wakeAt).toBe(Date.UTC(2026, 2, 28, 13));
  });

  it('waits for an allowed weekday, or passes on one', () => {
    const def = journey({
      steps: [
        { id: 'first', type: 'wait', until: { weekdays: ['sat', 'sun'] }, next: 'done' },
        exit,
      ],
    });
    // T0 is Monday noon UTC: wait until Saturday 00:00 UTC.
    expect(new RunDriver(def, added(T0)).run.wakeAt).toBe(T0 - 12 * HOUR + 5 * DAY);
    expect(new RunDriver(def, added(T0 + 5 * DAY)).run.status).toBe('completed');
  });

  it('waits for a keyed event over weeks of virtual time, else times out', () => {
    const def = journey({
      steps: [
        {
          id: 'first',
          type: 'wait',
          event: {
            event: 'Order Completed',
            key: 'properties.cart_id',
            where: { 'properties.total': { gt: 0 } },
          },
          timeout: 'P14D',
          next: { event: 'ordered', timeout: 'remind' },
        },
        sendTo('remind', 'done'),
        { id: 'ordered', type: 'exit', reason: 'ordered' },
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0), undefined, { key: 'c1' });
    expect(d.run.awaiting).toEqual({
      event: 'Order Completed',
      where: { 'properties.total': { gt: 0 } },
      keyPath: 'properties.cart_id',
      key: 'c1',
    });
    // Another cart, another event, a failing filter: all ignored, nothing changes.
    for (const e of [
      trackEvent('Order Completed', T0 + DAY, { cart_id: 'c2', total: 5 }),
      trackEvent('Checkout Started', T0 + DAY, { cart_id: 'c1' }),
      trackEvent('Order Completed', T0 + DAY, { cart_id: 'c1', total: 0 }),
    ]) {
      expect(
        advance(def, d.run, { kind: 'event', event: e }, createTestEnv(e.timestamp)).changed,
      ).toBe(false);
    }
    d.send(trackEvent('Order Completed', T0 + 10 * DAY, { cart_id: 'c1', total: 5 }));
    expect(d.run).toMatchObject({ status: 'completed', stepId: 'ordered', endReason: 'ordered' });
    expect(d.of('send')).toHaveLength(0);

    const late = new RunDriver(def, added(T0), undefined, { key: 'c1' });
    late.fire();
    expect(late.run).toMatchObject({ status: 'completed', stepId: 'done', endedAt: T0 + 14 * DAY });
    expect(late.of('send')).toHaveLength(1);
    // A stale timer after the end does nothing.
    expect(advance(def, late.run, { kind: 'timer' }, createTestEnv(T0 + 30 * DAY)).changed).toBe(
      false,
    );
  });

  it('fires a timeout that was already due before handling a late event', () => {
    const def = journey({
      steps: [
        {
          id: 'first',
          type: 'wait',
          event: { event: 'Order Completed', key: 'properties.cart_id' },
          timeout: 'PT1H',
          next: { event: 'ordered', timeout: 'remind' },
        },
        sendTo('remind', 'done'),
        { id: 'ordered', type: 'exit', reason: 'ordered' },
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0), undefined, { key: 'c1' });
    // The worker missed the 1 h timer; the order is handled first, 5 minutes after it.
    const effects = d.send(
      trackEvent('Order Completed', T0 + HOUR + 5 * 60_000, { cart_id: 'c1' }),
    );
    expect(effects.map((e) => e.type)).toEqual(['send', 'complete']);
    expect(d.run).toMatchObject({ status: 'completed', stepId: 'done' });
    expect(d.run.history.map((h) => h.outcome)).toEqual(['waiting', 'timeout', 'sent', 'exit']);
  });

  it('matches a numeric key against a string key', () => {
    const def = journey({
      steps: [
        {
          id: 'first',
          type: 'wait',
          event: { event: 'Order Completed', key: 'properties.cart_id' },
          timeout: 'P1D',
          next: { event: 'done', timeout: 'done' },
        },
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0, '42'), undefined, { key: '42' });
    d.send(trackEvent('Order Completed', T0 + HOUR, { cart_id: 42 }));
    expect(d.run.status).toBe('completed');
  });
});

describe('advance: goal and exit rules mid-wait', () => {
  const def = journey({
    goal: { event: 'Order Completed', key: 'properties.cart_id' },
    exitOn: [{ event: 'Unsubscribed' }],
    steps: [
      {
        id: 'first',
        type: 'wait',
        event: { event: 'Order Completed', key: 'properties.cart_id' },
        timeout: 'P3D',
        next: { event: 'ordered', timeout: 'done' },
      },
      { id: 'ordered', type: 'exit' },
      exit,
    ],
  });

  it('converts on the goal, before the awaited edge, and ignores the timer after', () => {
    const d = new RunDriver(def, added(T0), undefined, { key: 'c1' });
    const order = trackEvent('Order Completed', T0 + 2 * DAY, { cart_id: 'c1' });
    d.send(order);
    expect(d.run).toMatchObject({
      status: 'converted',
      stepId: 'first',
      endReason: 'goal',
      wakeAt: null,
      awaiting: null,
      endedAt: T0 + 2 * DAY,
    });
    expect(d.of('convert')).toEqual([expect.objectContaining({ stepId: 'first', event: order })]);
    expect(advance(def, d.run, { kind: 'timer' }, createTestEnv(T0 + 3 * DAY)).changed).toBe(false);
  });

  it('does not convert on another cart’s order', () => {
    const d = new RunDriver(def, added(T0), undefined, { key: 'c1' });
    d.send(trackEvent('Order Completed', T0 + HOUR, { cart_id: 'c2' }));
    expect(d.run.status).toBe('waiting');
  });

  it('exits on an exit rule', () => {
    const d = new RunDriver(def, added(T0), undefined, { key: 'c1' });
    d.send(trackEvent('Unsubscribed', T0 + HOUR));
    expect(d.run).toMatchObject({ status: 'exited', endReason: 'exit_on:Unsubscribed' });
    expect(d.of('exit')).toEqual([expect.objectContaining({ reason: 'exit_on:Unsubscribed' })]);
  });
});

describe('advance: branch, split, send, update_profile, webhook, exit', () => {
  it('takes the first case that holds, else the default, seeing profile updates made on the way', () => {
    const def = journey({
      steps: [
        {
          id: 'first',
          type: 'update_profile',
          set: { vip: true, tier: 'gold' },
          unset: ['old'],
          next: 'b',
        },
        {
          id: 'b',
          type: 'branch',
          cases: [
            { condition: { trait: 'tier', eq: 'silver' }, next: 'silver' },
            { condition: { trait: 'tier', eq: 'gold' }, next: 'gold' },
          ],
          default: 'done',
        },
        sendTo('silver', 'done'),
        sendTo('gold', 'done'),
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0));
    expect(d.of('update_profile')).toEqual([
      expect.objectContaining({
        set: { vip: true, tier: 'gold' },
        unset: ['old'],
        idempotencyKey: 'run1:first:1',
      }),
    ]);
    expect(d.of('send').map((e) => e.stepId)).toEqual(['gold']);
    expect(d.run.history.map((h) => h.outcome)).toEqual(['updated', 'case:1', 'sent', 'exit']);
  });

  it('falls to the default branch', () => {
    const def = journey({
      steps: [
        {
          id: 'first',
          type: 'branch',
          cases: [{ condition: { trait: 'x', eq: 1 }, next: 'a' }],
          default: 'done',
        },
        sendTo('a', 'done'),
        exit,
      ],
    });
    expect(new RunDriver(def, added(T0)).run.history[0]!.outcome).toBe('default');
  });

  it('splits in proportion to the weights with a seeded generator', () => {
    const def = journey({
      steps: [
        {
          id: 'first',
          type: 'split',
          arms: [
            { weight: 1, next: 'a' },
            { weight: 3, next: 'b' },
          ],
        },
        sendTo('a', 'done'),
        sendTo('b', 'done'),
        exit,
      ],
    });
    const random = seededRandom('split-test');
    let a = 0;
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      const run = createRun(def, {
        runId: `r${i}`,
        profileId: `p${i}`,
        key: null,
        trigger: added(T0),
        now: T0,
      });
      const r = advance(def, run, { kind: 'start' }, createTestEnv(T0, { random }));
      if (r.run.visits.a === 1) a++;
    }
    // Expected 2,500 (sd ≈ 43): a 4.6-sd band.
    expect(a / n).toBeGreaterThan(0.23);
    expect(a / n).toBeLessThan(0.27);
  });

  it('chooses arms from the generator deterministically', () => {
    const def = journey({
      steps: [
        {
          id: 'first',
          type: 'split',
          arms: [
            { weight: 1, next: 'a' },
            { weight: 1, next: 'done' },
          ],
        },
        sendTo('a', 'done'),
        exit,
      ],
    });
    const at = (x: number) =>
      advance(
        def,
        createRun(def, { runId: 'r', profileId: 'p', key: null, trigger: added(T0), now: T0 }),
        { kind: 'start' },
        createTestEnv(T0, { random: () => x }),
      ).run.history[0]!.outcome;
    expect([at(0), at(0.49), at(0.5), at(0.999)]).toEqual(['arm:0', 'arm:0', 'arm:1', 'arm:1']);
  });

  it('sends with a deterministic idempotency key and the run’s items as payload', () => {
    const def = journey({
      steps: [
        {
          ...sendTo('first', 'done'),
          topic: 'cart',
          priority: 'high',
          url: 'https://example.com/h',
        },
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0, 'c1', 'p1', { name: 'Mug', price: 9 }), undefined, {
      key: 'c1',
    });
    expect(d.of('send')).toEqual([
      {
        type: 'send',
        runId: 'run1',
        journeyId: 'j',
        journeyVersion: 1,
        profileId: 'p1',
        at: T0,
        idempotencyKey: 'run1:first:1',
        stepId: 'first',
        visit: 1,
        channel: 'webhook',
        message: { templateId: 'first' },
        topic: 'cart',
        priority: 'high',
        url: 'https://example.com/h',
        timing: null,
        payload: {
          key: 'c1',
          trigger: added(T0, 'c1', 'p1', { name: 'Mug', price: 9 }),
          items: [{ cart_id: 'c1', product_id: 'p1', name: 'Mug', price: 9 }],
        },
      },
    ]);
  });

  it('holds out: no send or webhook, recorded as suppressed, run tracked to the end', () => {
    const def = journey({
      steps: [
        sendTo('first', 'hook'),
        { id: 'hook', type: 'webhook', url: 'https://example.com', next: 'upd' },
        { id: 'upd', type: 'update_profile', set: { reminded: true }, next: 'done' },
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0), undefined, { holdout: true });
    expect(d.of('send')).toEqual([]);
    expect(d.of('webhook')).toEqual([]);
    expect(d.of('suppressed')).toEqual([
      expect.objectContaining({
        action: 'send',
        reason: 'holdout',
        channel: 'webhook',
        idempotencyKey: 'run1:first:1',
      }),
      expect.objectContaining({
        action: 'webhook',
        reason: 'holdout',
        channel: null,
        idempotencyKey: 'run1:hook:1',
      }),
    ]);
    expect(d.of('update_profile')).toHaveLength(1);
    expect(d.run.status).toBe('completed');
    expect(d.run.history.map((h) => h.outcome)).toEqual([
      'held_out',
      'held_out',
      'updated',
      'exit',
    ]);
  });

  it('renders the webhook url, headers and body from the person’s data', () => {
    const def = journey({
      steps: [
        {
          id: 'first',
          type: 'webhook',
          url: 'https://crm.example.com/people/{{ profile.id }}',
          method: 'PUT',
          headers: { 'X-Cart': '{{ key }}' },
          body: {
            email: '{{ profile.traits.email }}',
            products: '{{ items }}',
            note: 'cart {{ key }} of {{ profile.traits.name }}',
            missing: '{{ trigger.properties.nope }}',
          },
          next: 'get',
        },
        {
          id: 'get',
          type: 'webhook',
          url: 'https://example.com/ping',
          method: 'GET',
          next: 'plain',
        },
        { id: 'plain', type: 'webhook', url: 'https://example.com/plain', next: 'done' },
        exit,
      ],
    });
    const profile = createTestProfile({ traits: { email: 'ann@example.com', name: 'Ann' } });
    const d = new RunDriver(def, added(T0), (now) => createTestEnv(now, { profile }), {
      key: 'c1',
    });
    const [put, get, plain] = d.of('webhook');
    expect(put).toMatchObject({
      url: 'https://crm.example.com/people/p1',
      method: 'PUT',
      headers: { 'X-Cart': 'c1' },
      body: {
        email: 'ann@example.com',
        products: [{ cart_id: 'c1', product_id: 'p1' }],
        note: 'cart c1 of Ann',
        missing: null,
      },
    });
    expect(get!.body).toBeUndefined();
    expect(plain!.body).toMatchObject({
      profile: { id: 'p1', traits: { email: 'ann@example.com', name: 'Ann' } },
      key: 'c1',
      journey: { id: 'j', version: 1 },
      stepId: 'plain',
    });
  });

  it('counts visits in loops, so every send of a loop has its own key', () => {
    const def = journey({
      steps: [
        sendTo('first', 'wait'),
        { id: 'wait', type: 'wait', duration: 'P7D', next: 'check' },
        {
          id: 'check',
          type: 'branch',
          cases: [{ condition: { trait: 'stop', eq: true }, next: 'done' }],
          default: 'first',
        },
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0));
    d.fire();
    d.fire();
    expect(d.of('send').map((e) => e.idempotencyKey)).toEqual([
      'run1:first:1',
      'run1:first:2',
      'run1:first:3',
    ]);
    expect(d.run.visits).toEqual({ first: 3, wait: 3, check: 2 });
  });

  it('keeps the most recent history only', () => {
    const def = journey({
      steps: [
        { id: 'first', type: 'wait', duration: 'PT1H', next: 'loop' },
        {
          id: 'loop',
          type: 'branch',
          cases: [{ condition: { trait: 'stop', eq: true }, next: 'done' }],
          default: 'first',
        },
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0));
    for (let i = 0; i < HISTORY_LIMIT; i++) d.fire();
    expect(d.run.history).toHaveLength(HISTORY_LIMIT);
    expect(d.run.visits.first).toBe(HISTORY_LIMIT + 1);
    expect(d.run.history.at(-1)).toMatchObject({ stepId: 'first', visit: HISTORY_LIMIT + 1 });
  });
});

describe('advance: run lifecycle', () => {
  const def = journey({
    steps: [{ id: 'first', type: 'wait', duration: 'P1D', next: 'done' }, exit],
  });

  it('does not modify the input run', () => {
    const run = createRun(def, {
      runId: 'r',
      profileId: 'p',
      key: null,
      trigger: added(T0),
      now: T0,
    });
    const copy = structuredClone(run);
    advance(def, run, { kind: 'start' }, createTestEnv(T0));
    expect(run).toEqual(copy);
  });

  it('starts once, and ignores every input once ended', () => {
    const d = new RunDriver(def, added(T0));
    expect(advance(def, d.run, { kind: 'start' }, createTestEnv(T0)).changed).toBe(false);
    d.fire();
    for (const input of [
      { kind: 'start' },
      { kind: 'timer' },
      { kind: 'event', event: added(T0) },
    ] as const) {
      expect(advance(def, d.run, input, createTestEnv(T0 + 5 * DAY)).changed).toBe(false);
    }
  });

  it('exits a run whose step no longer exists in the definition', () => {
    const d = new RunDriver(def, added(T0));
    const other = journey({ start: 'done', steps: [exit] });
    const r = advance(other, d.run, { kind: 'timer' }, createTestEnv(T0 + DAY));
    expect(r.run).toMatchObject({ status: 'exited', endReason: 'unknown_step' });
  });
});

describe('advance: items', () => {
  const def = journey({
    items: { removeOn: ['Product Removed'] },
    steps: [{ id: 'first', type: 'wait', duration: 'P1D', next: 'done' }, exit],
  });

  it('keeps the cart current from its own events only', () => {
    const d = new RunDriver(def, added(T0, 'c1', 'p1', { quantity: 1 }), undefined, { key: 'c1' });
    d.send(added(T0 + 1, 'c1', 'p2'));
    d.send(added(T0 + 2, 'c2', 'p3'));
    d.send(added(T0 + 3, 'c1', 'p1', { quantity: 2 }));
    d.send(trackEvent('Product Removed', T0 + 4, { cart_id: 'c1', product_id: 'p2' }));
    expect(d.run.items).toEqual([{ cart_id: 'c1', product_id: 'p1', quantity: 2 }]);
    expect(d.run.status).toBe('waiting');
    expect(d.effects.filter((e) => e.type !== 'schedule')).toEqual([]);
  });

  it('reads items from a products array', () => {
    const d = new RunDriver(
      def,
      trackEvent('Product Added', T0, {
        cart_id: 'c1',
        products: [{ sku: 'A' }, { id: 7 }, { name: 'no id' }, 'junk'],
      }),
      undefined,
      { key: 'c1' },
    );
    expect(d.run.items).toEqual([
      { sku: 'A', product_id: 'A' },
      { id: 7, product_id: '7' },
    ]);
  });
});
