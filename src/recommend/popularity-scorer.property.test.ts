import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CatalogIndex } from './catalog-index.js';
import { addToEntry, emptyEntry, type FeedbackEntry } from './feedback.js';
import { PopularConfig } from './model-config.js';
import { trainPopularity } from './popularity.js';
import { PopularityScorer } from './popularity-scorer.js';
import { DAY, HOUR, T0, ix } from '../../test/factories/recommend.js';
import type { Interaction, InteractionKind } from './schemas.js';

const N = 40;
const ids = Array.from({ length: N }, (_, i) => `i${i}`);
const kind = fc.constantFrom<InteractionKind>('view', 'cart', 'purchase');
const interaction = fc
  .record({
    user: fc.integer({ min: 0, max: 5 }),
    item: fc.integer({ min: 0, max: N - 1 }),
    day: fc.integer({ min: -200, max: 30 }),
    kind,
  })
  .map((x) => ix(`u${x.user}`, ids[x.item]!, T0 - x.day * DAY, x.kind));
const step = fc.oneof(
  fc.record({ observe: interaction }),
  fc.record({
    ask: fc.record({
      want: fc.integer({ min: 1, max: N + 5 }),
      blocked: fc.uniqueArray(fc.integer({ min: 0, max: N - 1 }), { maxLength: N }),
      hoursLater: fc.integer({ min: 0, max: 6 }),
    }),
  }),
);

describe('popularity candidates walk the score order', () => {
  it('return exactly what a full scan of the current scores returns', () => {
    fc.assert(
      fc.property(
        fc.array(interaction, { maxLength: 60 }),
        fc.array(step, { maxLength: 400 }),
        // Half a day: timestamps 230 days apart force the scorer to rebase its scores.
        fc.constantFrom<number | null>(0.5, 30, null),
        fc.constantFrom('users' as const, 'interactions' as const),
        (trained, steps, halfLifeDays, count) => {
          const config = PopularConfig.parse({ strategy: 'popular', halfLifeDays, count });
          const model = trainPopularity(config, trained, T0);
          const space = new CatalogIndex([], ids);
          const scorer = new PopularityScorer(model, space);
          const history = new Map<string, FeedbackEntry>();
          for (const x of trained) observeEntry(history, x);
          let now = T0;
          for (const s of steps) {
            if ('observe' in s) {
              const x = s.observe;
              const key = `${x.userId}\u0000${x.itemId}`;
              const before = history.get(key);
              const prior = before ? { ...before } : null;
              const after = observeEntry(history, x);
              scorer.observe(x.userId, space.indexOf(x.itemId)!, x.kind, x.timestamp, prior, after);
              now = Math.max(now, x.timestamp);
              continue;
            }
            const { want, blocked, hoursLater } = s.ask;
            now += hoursLater * HOUR;
            const skip = new Set(blocked);
            const eligible = (i: number) => !skip.has(i);
            const got = scorer.candidates({ now, history: null, seeds: [], eligible }, want);
            // The reference: every item's current score, sorted, no shortcuts.
            const expected = ids
              .map((_, i) => ({ index: i, score: scorer.scoreAt(i, now) }))
              .filter((c) => c.score > 0 && eligible(c.index))
              .sort((a, b) => b.score - a.score || a.index - b.index)
              .slice(0, want);
            expect(got).toHaveLength(expected.length);
            got.forEach((c, k) => {
              const want = expected[k]!;
              if (c.index === want.index) return;
              // Scores equal in exact arithmetic may differ by an ulp once decayed, so
              // either item is right; anything further apart is a wrong walk.
              const mine = scorer.scoreAt(c.index, now);
              expect(Math.abs(mine - want.score)).toBeLessThanOrEqual(1e-12 * want.score);
              expect(eligible(c.index)).toBe(true);
            });
            expect(new Set(got.map((c) => c.index)).size).toBe(got.length);
          }
        },
      ),
      {
        numRuns: 200,
        examples: [
          // Seed 881737004: a cart 30 days old ties a fresh view at a 30-day half-life
          // in exact arithmetic, one ulp apart in doubles.
          [
            [ix('u0', 'i1', T0 + 74 * DAY, 'view'), ix('u0', 'i0', T0 + 44 * DAY, 'cart')],
            [
              { ask: { want: 1, blocked: [], hoursLater: 4 } },
              { ask: { want: 1, blocked: [], hoursLater: 6 } },
            ],
            30,
            'users',
          ],
        ],
      },
    );
  });
});

function observeEntry(history: Map<string, FeedbackEntry>, x: Interaction): FeedbackEntry {
  const key = `${x.userId}\u0000${x.itemId}`;
  let e = history.get(key);
  if (!e) history.set(key, (e = emptyEntry()));
  addToEntry(e, x.kind, x.timestamp, x.quantity ?? 1);
  return e;
}
