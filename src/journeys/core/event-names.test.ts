import { describe, expect, it } from 'vitest';
import { entryEventNames, runEventNames } from './event-names.js';
import { JOURNEY_RECIPES, buildFromRecipe, cartAbandonment, winBack } from './recipes/index.js';
import { advance } from './advance.js';
import { createRun } from './run-state.js';
import { createTestEnv, T0, trackEvent } from '../../../test/factories/journeys.js';

describe('event names for routing', () => {
  it('names the cart journey’s entry and run events', () => {
    const def = cartAbandonment({});
    expect(entryEventNames(def)).toEqual(['Product Added']);
    expect(runEventNames(def).sort()).toEqual([
      'Order Completed',
      'Product Added',
      'Product Removed',
    ]);
    const wb = winBack({ segmentId: 's' });
    expect(entryEventNames(wb)).toEqual(['Segment Entered']);
    expect(runEventNames(wb)).toEqual(['Order Completed']);
  });

  it.each(JOURNEY_RECIPES.map((t) => [t.id]))(
    '%s: an event not named never changes a run at any step',
    (id) => {
      const r = buildFromRecipe(id, id === 'win_back' ? { segmentId: 's' } : {});
      if (r.kind !== 'ok') throw new Error('template');
      const def = r.value;
      const names = new Set(runEventNames(def));
      const others = [
        'Product Added',
        'Product Removed',
        'Order Completed',
        'Product Viewed',
        'Signed Up',
        'Order Refunded',
        'Page Viewed',
      ].filter((n) => !names.has(n));
      // Park a run on every wait step and try each unnamed event on it.
      for (const step of def.steps.filter((s) => s.type === 'wait')) {
        const run = {
          ...createRun(def, {
            runId: 'r',
            profileId: 'p',
            key: 'k',
            trigger: trackEvent('X', T0),
            now: T0,
          }),
          status: 'waiting' as const,
          stepId: step.id,
          wakeAt: T0 + 1e12,
          awaiting:
            step.type === 'wait' && step.event
              ? {
                  event: step.event.event,
                  key: 'k',
                  ...(step.event.key ? { keyPath: step.event.key } : {}),
                }
              : null,
        };
        for (const name of others) {
          const e = trackEvent(name, T0 + 1, { cart_id: 'k', order_id: 'k', product_id: 'k' });
          expect(
            advance(def, run, { kind: 'event', event: e }, createTestEnv(T0 + 1)).changed,
          ).toBe(false);
        }
      }
    },
  );
});
