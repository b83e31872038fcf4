import { describe, expect, it } from 'vitest';
import { isHoldout } from './holdout.js';
import { simulate, type SimulatedPerson } from './simulate.js';
import {
  createTestProfile,
  DAY,
  define,
  HOUR,
  T0,
  trackEvent,
  traitCondition,
} from '../../../test/factories/journeys.js';

const def = define({
  id: 'onboarding',
  name: 'Onboarding',
  trigger: { type: 'event', event: 'Signed Up' },
  start: 'hello',
  goal: { event: 'Order Completed' },
  exitOn: [{ event: 'Unsubscribed' }],
  steps: [
    { id: 'hello', type: 'send', channel: 'email', message: { templateId: 'hello' }, next: 'wait' },
    { id: 'wait', type: 'wait', duration: 'P1D', next: 'vip' },
    {
      id: 'vip',
      type: 'branch',
      cases: [{ condition: { trait: 'vip', eq: true }, next: 'vip_offer' }],
      default: 'wait_order',
    },
    {
      id: 'vip_offer',
      type: 'send',
      channel: 'email',
      message: { templateId: 'vip' },
      next: 'done',
    },
    {
      id: 'wait_order',
      type: 'wait',
      event: { event: 'Order Completed' },
      timeout: 'P2D',
      next: { event: 'bought', timeout: 'nudge' },
    },
    { id: 'nudge', type: 'send', channel: 'email', message: { templateId: 'nudge' }, next: 'done' },
    { id: 'bought', type: 'exit' },
    { id: 'done', type: 'exit' },
  ],
});

const person = (id: string, events: SimulatedPerson['events'], traits = {}): SimulatedPerson => ({
  profile: createTestProfile({ id, traits }),
  events,
});

// Hand-traced, from T0 to T0 + 10 days:
// p1 (vip) signs up at T0: hello, wait, vip -> vip_offer at T0+1d, done (completed).
// p2 signs up at T0: hello, wait, default -> wait_order; orders at T0+2d (converted there).
// p3 signs up at T0+1h: ... wait_order times out at T0+3d+1h -> nudge, done (completed).
// p4 signs up at T0+9.5d: hello, still at wait when the clock stops.
// p5 signs up at T0, unsubscribes at T0+6h: exited at wait.
// p6 only orders: no run. p7 signed up before `from`: ignored.
const people = [
  person('p1', [trackEvent('Signed Up', T0)], { vip: true }),
  person('p2', [trackEvent('Signed Up', T0), trackEvent('Order Completed', T0 + 2 * DAY)]),
  person('p3', [trackEvent('Signed Up', T0 + HOUR)]),
  person('p4', [trackEvent('Signed Up', T0 + 9.5 * DAY)]),
  person('p5', [trackEvent('Signed Up', T0), trackEvent('Unsubscribed', T0 + 6 * HOUR)]),
  person('p6', [trackEvent('Order Completed', T0)]),
  person('p7', [trackEvent('Signed Up', T0 - DAY)]),
];
const options = { from: T0, to: T0 + 10 * DAY, seed: 7, evaluateCondition: traitCondition };

describe('simulate', () => {
  it('counts a hand-checked scenario per step', () => {
    const r = simulate(def, people, options);
    const zero = { entered: 0, people: 0, waiting: 0, completed: 0, exited: 0, converted: 0 };
    expect(r.steps).toEqual({
      hello: { ...zero, entered: 5, people: 5 },
      wait: { ...zero, entered: 5, people: 5, waiting: 1, exited: 1 },
      vip: { ...zero, entered: 3, people: 3 },
      vip_offer: { ...zero, entered: 1, people: 1 },
      wait_order: { ...zero, entered: 2, people: 2, converted: 1 },
      nudge: { ...zero, entered: 1, people: 1 },
      bought: zero,
      done: { ...zero, entered: 2, people: 2, completed: 2 },
    });
    expect(r).toMatchObject({ people: 7, runs: 5 });
    expect(r.treated).toEqual({
      people: 5,
      runs: 5,
      waiting: 1,
      completed: 2,
      exited: 1,
      converted: 1,
      messages: 7,
      suppressed: 0,
      conversionRate: 0.2,
    });
    expect(r.holdout.runs).toBe(0);
    expect(r.effects).toEqual({
      send: 7,
      webhook: 0,
      suppressed: 0,
      update_profile: 0,
      decide: 0,
      schedule: 7,
      convert: 1,
      exit: 1,
      complete: 2,
    });
  });

  it('says when people reach each step', () => {
    const r = simulate(def, people, options);
    expect(r.reach.hello).toEqual({
      first: T0,
      last: T0 + 9.5 * DAY,
      byDay: { '2026-01-05': 4, '2026-01-15': 1 },
      medianAfterEntryMs: 0,
    });
    expect(r.reach.nudge).toEqual({
      first: T0 + 3 * DAY + HOUR,
      last: T0 + 3 * DAY + HOUR,
      byDay: { '2026-01-08': 1 },
      medianAfterEntryMs: 3 * DAY,
    });
    expect(r.reach.vip!.medianAfterEntryMs).toBe(DAY);
    expect(r.reach.bought).toEqual({
      first: null,
      last: null,
      byDay: {},
      medianAfterEntryMs: null,
    });
  });

  it('fires timers in time order between events', () => {
    // The timeout at T0+3d+1h fires before an order at T0+3d+2h, so p3 is nudged and done.
    const late = person('p3', [
      trackEvent('Signed Up', T0 + HOUR),
      trackEvent('Order Completed', T0 + 3 * DAY + 2 * HOUR),
    ]);
    const r = simulate(def, [late], options);
    expect(r.steps.nudge!.entered).toBe(1);
    expect(r.steps.done!.completed).toBe(1);
    // A timer due at the same millisecond as an event fires first.
    const tie = person('p3', [
      trackEvent('Signed Up', T0 + HOUR),
      trackEvent('Order Completed', T0 + 3 * DAY + HOUR),
    ]);
    expect(simulate(def, [tie], options).steps.nudge!.entered).toBe(1);
  });

  it('does not depend on the order of people', () => {
    expect(simulate(def, [...people].reverse(), options)).toEqual(simulate(def, people, options));
  });

  it('splits holdout and treated groups, suppressing the holdout’s messages', () => {
    const held = define({ ...def, holdoutPercent: 30 });
    const crowd = Array.from({ length: 200 }, (_, i) =>
      person(`u${i}`, [trackEvent('Signed Up', T0)]),
    );
    const expectedHoldout = crowd.filter((p) => isHoldout(p.profile.id, 'onboarding', 30)).length;
    const r = simulate(held, crowd, { ...options, to: T0 + HOUR });
    expect(r.holdout).toMatchObject({
      people: expectedHoldout,
      runs: expectedHoldout,
      messages: 0,
      suppressed: expectedHoldout,
      waiting: expectedHoldout,
    });
    expect(r.treated).toMatchObject({
      people: 200 - expectedHoldout,
      messages: 200 - expectedHoldout,
      suppressed: 0,
    });
    expect(r.steps.hello!.entered).toBe(200);
  });
});
