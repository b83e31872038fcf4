import { describe, expect, it } from 'vitest';
import { advance } from './advance.js';
import { splitPoint } from './holdout.js';
import { createRun, HISTORY_LIMIT } from './run-state.js';
import {
  added,
  createTestEnv,
  createTestProfile,
  exit,
  journey,
  RunDriver,
  sendTo,
  T0,
} from '../../../test/factories/journeys.js';

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

  it('splits people in proportion to the weights', () => {
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
      const r = advance(def, run, { kind: 'start' }, createTestEnv(T0));
      if (r.run.visits.a === 1) a++;
    }
    // Expected 2,500 (sd ≈ 43): a 4.6-sd band.
    expect(a / n).toBeGreaterThan(0.23);
    expect(a / n).toBeLessThan(0.27);
  });

  it('gives a person the same arm on every run and whatever the generator says', () => {
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
    const at = (profileId: string, runId: string, x: number) =>
      advance(
        def,
        createRun(def, { runId, profileId, key: null, trigger: added(T0), now: T0 }),
        { kind: 'start' },
        createTestEnv(T0, { random: () => x }),
      ).run.history[0]!.outcome;
    for (const p of ['p1', 'p2', 'p3', 'p4']) {
      const arm = at(p, 'r1', 0);
      expect([at(p, 'r2', 0.5), at(p, 'r3', 0.999)]).toEqual([arm, arm]);
      // The arm is where the person's hash falls, arms laid end to end by weight.
      expect(arm).toBe(splitPoint('j', 'first', p) < 0.5 ? 'arm:0' : 'arm:1');
    }
  });

  it('passes a "preferred" send on with its fallback channels (e-mail, then push, by default)', () => {
    const def = journey({
      steps: [
        { ...sendTo('first', 'second'), channel: 'preferred' },
        { ...sendTo('second', 'done'), channel: 'preferred', fallback: ['push', 'webhook'] },
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0));
    expect(d.of('send').map((e) => [e.channel, e.channels])).toEqual([
      ['preferred', ['email', 'push']],
      ['preferred', ['push', 'webhook']],
    ]);
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
        channels: null,
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
