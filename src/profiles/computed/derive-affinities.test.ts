import { describe, expect, it } from 'vitest';
import { deriveTraits } from './derive-traits.js';
import type { ProfileEvent } from './profile-event.js';
import { factsOf, track } from '../../../test/factories/profile-events.js';
import { defaultWorkspaceModel } from './workspace-model.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const D0 = Date.UTC(2024, 0, 1, 12); // noon UTC, a Monday in winter
const model = defaultWorkspaceModel(D0); // default gap 30 days, min gap 7, ×1.5 / ×3
const derive = (events: ProfileEvent[], now: number, m = model) =>
  deriveTraits(factsOf(events), now, m);

describe('affinities', () => {
  const events = [
    track('Product Viewed', D0, { category: 'Shoes' }),
    track('Product Added', D0, { brand: 'Acme', category: '' }),
    track('Order Completed', D0 + 30 * DAY, {
      order_id: 'x',
      products: [
        { category: ' Bags ', color: 'red', size: 'M', brand: 'Acme' },
        { category: 'x'.repeat(500) },
        { size: 42 },
      ],
    }),
  ];

  // Buckets are dated at the start of their UTC day (D0 is noon).
  const MIDNIGHT = D0 - DAY / 2;

  it('halves a weight after one half-life (view 1 < add-to-cart 3 < purchase 5)', () => {
    const t = derive(events, MIDNIGHT + 30 * DAY);
    expect(t.affinities.category).toEqual([
      { value: 'Bags', score: 5 },
      { value: 'Shoes', score: 0.5 },
    ]);
    expect(t.affinities.brand).toEqual([{ value: 'Acme', score: 5 + 1.5 }]);
    expect(t.affinities.colour).toEqual([{ value: 'red', score: 5 }]);
    expect(t.affinities.size).toEqual([
      { value: '42', score: 5 },
      { value: 'M', score: 5 },
    ]);
  });

  it('takes the half-life and the list length from the workspace settings (no rebuild)', () => {
    const m = defaultWorkspaceModel(D0, { affinity_half_life_days: 10, affinity_top: 1 });
    const t = derive(events, MIDNIGHT + 30 * DAY, m);
    expect(t.affinities.category).toEqual([{ value: 'Bags', score: 5 }]);
    const later = derive(events, MIDNIGHT + 60 * DAY, m);
    expect(later.affinities.category).toEqual([{ value: 'Bags', score: 5 / 8 }]);
  });

  it('keeps the ranking as time passes with no event, today included', () => {
    // 50 yesterday against 49 today: at the default 30-day half-life today's 49 weigh
    // 49 · 2^(1/30) ≈ 50.1 at any hour. (With buckets dated at noon, "Old" led in the
    // morning and "New" in the evening.)
    const mixed = [
      ...Array.from({ length: 10 }, (_, i) =>
        track(
          'Order Completed',
          MIDNIGHT - DAY + HOUR,
          { order_id: `o${i}`, products: [{ category: 'Old' }] },
          { messageId: `o${i}` },
        ),
      ),
      ...Array.from({ length: 49 }, (_, i) =>
        track('Product Viewed', MIDNIGHT + HOUR, { category: 'New' }, { messageId: `v${i}` }),
      ),
    ];
    for (const hour of [1, 6, 11, 13, 18, 23]) {
      const top = derive(mixed, MIDNIGHT + hour * HOUR).affinities.category.map((a) => a.value);
      expect(top, `at ${hour}:00`).toEqual(['New', 'Old']);
    }
  });

  it('ranks values equal in exact arithmetic the same way at every hour', () => {
    // One view today weighs exactly what two views 30 days earlier do (30-day half-life):
    // a tie, broken by value, whatever rounding the hour gives the two scores.
    const tie = [
      track('Product Viewed', MIDNIGHT + HOUR, { category: 'Zebra' }, { messageId: 'z' }),
      ...[1, 2].map((i) =>
        track(
          'Product Viewed',
          MIDNIGHT - 30 * DAY + HOUR,
          { category: 'Aardvark' },
          { messageId: `a${i}` },
        ),
      ),
    ];
    const facts = factsOf(tie);
    for (let h = 1; h < 24 * 40; h += 7) {
      const [first, second] = deriveTraits(facts, MIDNIGHT + h * HOUR, model).affinities.category;
      expect([first!.value, second!.value], `${h} h after midnight`).toEqual(['Aardvark', 'Zebra']);
      expect(first!.score).toBeCloseTo(second!.score, 12);
    }
  });

  it('forgets day buckets a year older than the latest product event', () => {
    const facts = factsOf([
      track('Product Viewed', D0, { category: 'Old' }),
      track('Product Viewed', D0 + 366 * DAY, { category: 'New' }),
    ]);
    expect(facts.affinity.category.map(([value]) => value)).toEqual(['New']);
    const kept = factsOf([
      track('Product Viewed', D0, { category: 'Old' }),
      track('Product Viewed', D0 + 365 * DAY, { category: 'New' }),
    ]);
    expect(kept.affinity.category.map(([value]) => value)).toEqual(['New', 'Old']);
  });
});
