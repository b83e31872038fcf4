import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance } from './advance.js';
import type { Effect } from './effects.js';
import type { AdvanceInput } from './env.js';
import { createRun, isEnded, RunState } from './run-state.js';
import { simulate } from './simulate.js';
import { cartAbandonment } from './recipes/index.js';
import {
  createTestEnv,
  createTestProfile,
  define,
  HOUR,
  MINUTE,
  T0,
  trackEvent,
} from '../../../test/factories/journeys.js';

// A journey with every way of revisiting a send: a loop through an event wait, a split
// that loops back, a goal and an exit rule.
const loop = define({
  id: 'loop',
  name: 'Loop',
  trigger: { type: 'event', event: 'Start', key: 'properties.k' },
  start: 'a',
  goal: { event: 'Goal', key: 'properties.k' },
  exitOn: [{ event: 'Stop' }],
  steps: [
    { id: 'a', type: 'send', channel: 'webhook', message: { templateId: 'a' }, next: 'w' },
    {
      id: 'w',
      type: 'wait',
      event: { event: 'Ping', key: 'properties.k' },
      timeout: 'PT1H',
      next: { event: 'b', timeout: 's' },
    },
    { id: 'b', type: 'webhook', url: 'https://example.com/b', next: 'a' },
    {
      id: 's',
      type: 'split',
      arms: [
        { weight: 3, next: 'a' },
        { weight: 1, next: 'done' },
      ],
    },
    { id: 'done', type: 'exit' },
  ],
});

const names = ['Ping', 'Goal', 'Stop', 'Start', 'Other'];
const input = fc.oneof(
  fc.record({ kind: fc.constant('timer' as const), dt: fc.integer({ min: 0, max: 2 * HOUR }) }),
  fc.record({
    kind: fc.constant('event' as const),
    dt: fc.integer({ min: 0, max: 2 * HOUR }),
    name: fc.constantFrom(...names),
    k: fc.constantFrom('k1', 'k2'),
  }),
);

function messageKeys(effects: Effect[]): string[] {
  return effects.flatMap((e) =>
    e.type === 'send' || e.type === 'webhook' || e.type === 'suppressed' ? [e.idempotencyKey] : [],
  );
}

describe('idempotency keys (property)', () => {
  it('one run never yields two messages with the same key, whatever the inputs', () => {
    fc.assert(
      fc.property(
        fc.array(input, { maxLength: 80 }),
        fc.integer(),
        fc.boolean(),
        (inputs, seed, holdout) => {
          let now = T0;
          let run = createRun(loop, {
            runId: 'r',
            profileId: 'p',
            key: 'k1',
            trigger: trackEvent('Start', T0, { k: 'k1' }),
            now,
            holdout,
          });
          let x = seed;
          const random = () => {
            x = (Math.imul(x, 1103515245) + 12345) | 0;
            return (x >>> 0) / 2 ** 32;
          };
          const keys: string[] = [];
          const apply = (i: AdvanceInput) => {
            const r = advance(loop, run, i, createTestEnv(now, { random }));
            // Through JSON and the schema, as the shell stores and reloads it.
            run = RunState.parse(JSON.parse(JSON.stringify(r.run)));
            expect(run).toEqual(r.run);
            keys.push(...messageKeys(r.effects));
          };
          apply({ kind: 'start' });
          for (const i of inputs) {
            now += i.dt;
            if (i.kind === 'timer') {
              // The shell fires at wakeAt or later; an early timer must be harmless too.
              if (run.wakeAt !== null && i.dt % 2 === 0) now = Math.max(now, run.wakeAt);
              apply({ kind: 'timer' });
            } else {
              apply({ kind: 'event', event: trackEvent(i.name, now, { k: i.k }) });
            }
            if (isEnded(run.status)) break;
          }
          expect(new Set(keys).size).toBe(keys.length);
          // Every key names this run and a visit the run has made.
          for (const key of keys) {
            const [runId, stepId, visit] = key.split(':');
            expect(runId).toBe('r');
            expect(Number(visit)).toBeLessThanOrEqual(run.visits[stepId!]!);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('no two messages share a key across all runs of a replay', () => {
    const cart = cartAbandonment({ delay: 'PT5M', conversionWindow: 'PT10M' });
    const event = fc.record({
      dt: fc.integer({ min: 0, max: 10 * MINUTE }),
      name: fc.constantFrom('Product Added', 'Product Removed', 'Order Completed', 'Other'),
      cart: fc.constantFrom('c1', 'c2', 'c3'),
      product: fc.constantFrom('x', 'y'),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(event, { maxLength: 30 }), { minLength: 1, maxLength: 4 }),
        (timelines) => {
          const people = timelines.map((steps, i) => {
            let t = T0;
            return {
              profile: createTestProfile({ id: `p${i}` }),
              events: steps.map((s) => {
                t += s.dt;
                return trackEvent(s.name, t, { cart_id: s.cart, product_id: s.product });
              }),
            };
          });
          const keys: string[] = [];
          simulate(cart, people, {
            from: T0,
            to: T0 + 10 * HOUR,
            seed: 1,
            onEffect: (e) => keys.push(...messageKeys([e])),
          });
          expect(new Set(keys).size).toBe(keys.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
