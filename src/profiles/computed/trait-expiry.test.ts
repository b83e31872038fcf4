import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveTraits } from './derive-traits.js';
import { factsOf, page, track } from '../../../test/factories/profile-events.js';
import { traitsChangeAt } from './trait-expiry.js';
import { defaultWorkspaceModel } from './workspace-model.js';

const DAY = 86_400_000;
const D0 = Date.UTC(2024, 0, 1, 12);
const model = {
  ...defaultWorkspaceModel(D0),
  rfm: {
    recency_days: [3.5, 12, 40.25, 90],
    frequency: [1, 2, 3, 5],
    monetary: [10, 50, 100, 500],
  },
};

/** The stepwise, time-driven traits: what segments may test with equality or thresholds. */
const stepwise = (t: ReturnType<typeof deriveTraits>) => ({
  days: t.days_since_last_order,
  recency: t.rfm?.recency ?? null,
  lifecycle: t.lifecycle,
  sessions: t.sessions_last_30d,
});

describe('traitsChangeAt', () => {
  it('is the next day boundary of the last order when nothing else is closer', () => {
    const facts = factsOf([
      track('Order Completed', D0, { order_id: 'a', revenue: 5 }, { messageId: 'a' }),
    ]);
    const plain = { ...model, rfm: null };
    expect(traitsChangeAt(facts, D0 + 2.5 * DAY, plain)).toBe(D0 + 3 * DAY);
    expect(deriveTraits(facts, D0 + 3 * DAY - 1, plain).days_since_last_order).toBe(2);
    expect(deriveTraits(facts, D0 + 3 * DAY, plain).days_since_last_order).toBe(3);
  });

  it('is null for a person with no orders and no sessions', () => {
    expect(traitsChangeAt(factsOf([]), D0, model)).toBeNull();
  });

  it('holds every stepwise trait still until the instant it returns, where one changes', () => {
    const event = fc.record({
      kind: fc.constantFrom('order', 'page'),
      day: fc.double({ min: 0, max: 200, noNaN: true }),
      revenue: fc.integer({ min: 1, max: 300 }),
    });
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 400, noNaN: true }),
        (events, nowDay) => {
          const facts = factsOf(
            events.map((e, i) => {
              const at = Math.round(D0 + e.day * DAY);
              return e.kind === 'order'
                ? track(
                    'Order Completed',
                    at,
                    { order_id: `o${i}`, revenue: e.revenue },
                    { messageId: `o${i}` },
                  )
                : page(at, {}, { messageId: `p${i}` });
            }),
          );
          const now = Math.round(D0 + nowDay * DAY);
          const at = traitsChangeAt(facts, now, model);
          const before = stepwise(deriveTraits(facts, now, model));
          if (at === null) {
            expect(stepwise(deriveTraits(facts, now + 1000 * DAY, model))).toEqual(before);
            return;
          }
          expect(at).toBeGreaterThan(now);
          for (const f of [0.25, 0.5, 0.99]) {
            const t = Math.floor(now + (at - 1 - now) * f);
            expect(stepwise(deriveTraits(facts, t, model))).toEqual(before);
          }
          expect(stepwise(deriveTraits(facts, at - 1, model))).toEqual(before);
          expect(stepwise(deriveTraits(facts, at, model))).not.toEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});
