import { describe, expect, it } from 'vitest';
import type { JourneyDefinitionInput } from './definition.js';
import { tryEnter } from './enter.js';
import { canEnter, matchTrigger, type PreviousRun } from './entry.js';
import { isHoldout } from './holdout.js';
import {
  API_TRIGGER_EVENT,
  DATE_TRIGGER_EVENT,
  SEGMENT_ENTERED,
  SEGMENT_EXITED,
} from './journey-event.js';
import {
  createTestEnv,
  createTestProfile,
  DAY,
  define,
  T0,
  trackEvent,
} from '../../../test/factories/journeys.js';

function withTrigger(trigger: unknown, extra: Partial<JourneyDefinitionInput> = {}) {
  return define({
    id: 'j',
    name: 'Test',
    trigger,
    start: 'done',
    steps: [{ id: 'done', type: 'exit' }],
    ...extra,
  });
}

describe('matchTrigger', () => {
  const cart = withTrigger({
    type: 'event',
    event: 'Product Added',
    key: 'properties.cart_id',
    where: { 'properties.price': { gte: 10 } },
  });

  it('matches an event trigger and takes its key', () => {
    expect(
      matchTrigger(cart, trackEvent('Product Added', T0, { cart_id: 'c1', price: 12 })),
    ).toEqual({
      key: 'c1',
      conditions: [],
    });
    expect(
      matchTrigger(cart, trackEvent('Product Added', T0, { cart_id: 7, price: '10' })),
    ).toEqual({
      key: '7',
      conditions: [],
    });
  });

  it.each([
    ['another event', trackEvent('Product Viewed', T0, { cart_id: 'c1', price: 12 })],
    ['a failing filter', trackEvent('Product Added', T0, { cart_id: 'c1', price: 9 })],
    ['no key', trackEvent('Product Added', T0, { price: 12 })],
    ['an empty key', trackEvent('Product Added', T0, { cart_id: '', price: 12 })],
    ['an object key', trackEvent('Product Added', T0, { cart_id: { id: 1 }, price: 12 })],
  ])('does not match %s', (_name, event) => {
    expect(matchTrigger(cart, event)).toBeNull();
  });

  it('matches segment entry or exit of the named segment', () => {
    const entered = withTrigger({
      type: 'segment',
      segmentId: 'lapsed',
      condition: { trait: 'vip', eq: true },
    });
    const exited = withTrigger({ type: 'segment', segmentId: 'lapsed', on: 'exited' });
    const e = (name: string, id: string) => trackEvent(name, T0, { segment_id: id });
    expect(matchTrigger(entered, e(SEGMENT_ENTERED, 'lapsed'))).toEqual({
      key: null,
      conditions: [{ trait: 'vip', eq: true }],
    });
    expect(matchTrigger(entered, e(SEGMENT_ENTERED, 'other'))).toBeNull();
    expect(matchTrigger(entered, e(SEGMENT_EXITED, 'lapsed'))).toBeNull();
    expect(matchTrigger(exited, e(SEGMENT_EXITED, 'lapsed'))).toEqual({
      key: null,
      conditions: [],
    });
  });

  it('matches a date trigger by trait, keyed by the occurrence date', () => {
    const def = withTrigger({ type: 'date', trait: 'birthday' });
    expect(def.trigger).toMatchObject({ at: '09:00' });
    const e = (trait: string) => trackEvent(DATE_TRIGGER_EVENT, T0, { trait, date: '2026-07-14' });
    expect(matchTrigger(def, e('birthday'))).toEqual({ key: '2026-07-14', conditions: [] });
    expect(matchTrigger(def, e('signed_up_at'))).toBeNull();
  });

  it('matches an API trigger for this journey', () => {
    const def = withTrigger({ type: 'api', key: 'properties.order_id' });
    expect(matchTrigger(def, trackEvent(API_TRIGGER_EVENT, T0, { order_id: 'o1' }))).toEqual({
      key: 'o1',
      conditions: [],
    });
    expect(
      matchTrigger(def, trackEvent(API_TRIGGER_EVENT, T0, { journey_id: 'other', order_id: 'o1' })),
    ).toBeNull();
  });

  it('matches a catalog event and asks for the person’s interest in the item', () => {
    const def = withTrigger({
      type: 'catalog',
      event: 'Product Back In Stock',
      interest: { events: ['Product Viewed', 'Product Added'], within: 'P30D' },
    });
    expect(
      matchTrigger(def, trackEvent('Product Back In Stock', T0, { product_id: 'sku-1' })),
    ).toEqual({
      key: 'sku-1',
      conditions: [
        {
          any: [
            {
              event: 'Product Viewed',
              where: { 'properties.product_id': { eq: 'sku-1' } },
              within: 'P30D',
            },
            {
              event: 'Product Added',
              where: { 'properties.product_id': { eq: 'sku-1' } },
              within: 'P30D',
            },
          ],
        },
      ],
    });
    expect(matchTrigger(def, trackEvent('Product Back In Stock', T0, {}))).toBeNull();
  });
});

describe('canEnter', () => {
  const runs = (...r: [string | null, PreviousRun['status'], number][]): PreviousRun[] =>
    r.map(([key, status, enteredAt]) => ({ key, status, enteredAt }));
  const policy = (reentry: JourneyDefinitionInput['reentry']) =>
    withTrigger({ type: 'event', event: 'X', key: 'properties.k' }, { reentry });

  it('lets anyone in the first time', () => {
    expect(canEnter(policy({ policy: 'never' }), [], 'c1', T0)).toBe(true);
  });

  it('never, per key: one run per cart', () => {
    const def = policy({ policy: 'never', scope: 'key' });
    const prev = runs(['c1', 'converted', T0]);
    expect(canEnter(def, prev, 'c1', T0 + 365 * DAY)).toBe(false);
    expect(canEnter(def, prev, 'c2', T0)).toBe(true);
  });

  it('never, per profile: one run per person', () => {
    expect(
      canEnter(policy({ policy: 'never', scope: 'profile' }), runs(['c1', 'exited', T0]), 'c2', T0),
    ).toBe(false);
  });

  it('always, but never beside an unfinished run in scope', () => {
    const def = policy({ policy: 'always', scope: 'key' });
    expect(canEnter(def, runs(['c1', 'completed', T0]), 'c1', T0)).toBe(true);
    expect(canEnter(def, runs(['c1', 'waiting', T0]), 'c1', T0)).toBe(false);
    expect(canEnter(def, runs(['c1', 'active', T0]), 'c1', T0)).toBe(false);
    expect(canEnter(def, runs(['c1', 'waiting', T0]), 'c2', T0)).toBe(true);
  });

  it('after a duration since the latest entry in scope', () => {
    const def = policy({ policy: 'after', after: 'P7D', scope: 'profile' });
    const prev = runs(['a', 'completed', T0], ['b', 'completed', T0 + DAY]);
    expect(canEnter(def, prev, 'c', T0 + 8 * DAY - 1)).toBe(false);
    expect(canEnter(def, prev, 'c', T0 + 8 * DAY)).toBe(true);
  });
});

describe('isHoldout', () => {
  it('is all or nothing at 0 and 100 percent', () => {
    expect(isHoldout('p', 'j', 0)).toBe(false);
    expect(isHoldout('p', 'j', 100)).toBe(true);
  });

  it('is deterministic and close to the percentage', () => {
    let held = 0;
    for (let i = 0; i < 20_000; i++) {
      const h = isHoldout(`person-${i}`, 'cart', 10);
      expect(isHoldout(`person-${i}`, 'cart', 10)).toBe(h);
      if (h) held++;
    }
    // Expected 2,000 (sd ≈ 42).
    expect(held).toBeGreaterThan(1800);
    expect(held).toBeLessThan(2200);
  });

  it('is nested: a person held out at 10% is held out at 20%', () => {
    for (let i = 0; i < 2000; i++) {
      if (isHoldout(`p${i}`, 'j', 10)) expect(isHoldout(`p${i}`, 'j', 20)).toBe(true);
    }
  });
});

describe('tryEnter', () => {
  const def = withTrigger(
    {
      type: 'event',
      event: 'Product Added',
      key: 'properties.cart_id',
      condition: { trait: 'plan', eq: 'pro' },
    },
    {
      start: 'w',
      steps: [
        { id: 'w', type: 'wait', duration: 'PT1H', next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    },
  );
  const event = trackEvent('Product Added', T0, { cart_id: 'c1' });
  const pro = createTestEnv(T0, { profile: createTestProfile({ traits: { plan: 'pro' } }) });

  it('enters and starts a run when everything admits it', () => {
    const r = tryEnter(def, { runId: 'r1', event, previousRuns: [] }, pro);
    expect(r.kind).toBe('entered');
    if (r.kind !== 'entered') return;
    expect(r.run).toMatchObject({
      runId: 'r1',
      key: 'c1',
      status: 'waiting',
      wakeAt: T0 + 3_600_000,
      trigger: event,
    });
    expect(r.effects.map((e) => e.type)).toEqual(['schedule']);
  });

  it('says why it does not enter', () => {
    expect(
      tryEnter(def, { runId: 'r', event: trackEvent('Other', T0), previousRuns: [] }, pro),
    ).toEqual({
      kind: 'no_match',
    });
    expect(tryEnter(def, { runId: 'r', event, previousRuns: [] }, createTestEnv(T0))).toEqual({
      kind: 'condition_failed',
    });
    expect(
      tryEnter(
        def,
        { runId: 'r', event, previousRuns: [{ key: 'c1', status: 'completed', enteredAt: 0 }] },
        pro,
      ),
    ).toEqual({ kind: 'reentry_refused', key: 'c1' });
  });
});
