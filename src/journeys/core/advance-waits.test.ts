import { describe, expect, it } from 'vitest';
import { advance } from './advance.js';
import {
  added,
  createTestEnv,
  createTestProfile,
  DAY,
  exit,
  HOUR,
  journey,
  RunDriver,
  sendTo,
  T0,
  trackEvent,
} from '../../../test/factories/journeys.js';

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
