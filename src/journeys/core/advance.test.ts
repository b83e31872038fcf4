import { describe, expect, it } from 'vitest';
import { advance } from './advance.js';
import { createRun } from './run-state.js';
import {
  added,
  createTestEnv,
  DAY,
  exit,
  journey,
  RunDriver,
  T0,
  trackEvent,
} from '../../../test/factories/journeys.js';

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
