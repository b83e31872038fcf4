import { describe, expect, it } from 'vitest';
import { BASKET, RATINGS, syntheticLog } from '../../test/factories/recs-synthetic.js';
import { PersonalizedConfig } from './model-config.js';
import { CatalogItem, type Interaction } from './schemas.js';
import { trainTuned } from './train-tuned.js';
import { paramsOf, tailSplit, validationSplit } from './tune.js';

const defaults = PersonalizedConfig.parse({ strategy: 'personalized' });
const catalogOf = (log: readonly Interaction[]) =>
  [...new Set(log.map((x) => x.itemId))].map((id) => CatalogItem.parse({ id }));

// Small versions of the docs' synthetic sets: interest that drifts every few days (a
// short half-life suits it) and stable taste over years (no decay suits it).
const drifting = syntheticLog({
  ...BASKET,
  seed: 3,
  people: 300,
  items: 150,
  topics: 15,
  days: 90,
  visitGapDays: 6,
  itemsPerVisit: 2,
  drift: 0.7,
});
const stable = syntheticLog({ ...RATINGS, seed: 5, people: 400, items: 150, topics: 15 });
// The second has no catalog (the items of the interactions stand in for it).
const cases = [
  {
    name: 'drifting baskets',
    log: drifting,
    catalog: catalogOf(drifting),
    suits: (h: number | null) => h !== null && h < 30,
  },
  {
    name: 'stable ratings',
    log: stable,
    catalog: [],
    suits: (h: number | null) => h === null || h > 30,
  },
];

describe('tunePersonalized', () => {
  it.each(cases)(
    'on $name picks a half-life that suits the data, within 5% of the best of the grid and above the defaults, and trains it on everything',
    { timeout: 90_000 },
    ({ log, catalog, suits }) => {
      const now = log.at(-1)!.timestamp;
      const { bundle, tuning } = trainTuned(undefined, log, catalog, now, {});
      const report = tuning!;
      expect(report.status).toBe('tuned');
      expect(suits(report.chosen.halfLifeDays)).toBe(true);
      expect(report.chosenScore!.ndcg).toBeGreaterThan(1.05 * report.defaultScore!.ndcg);
      // The full half-life × λ grid, scored on the same split.
      const { score } = validationSplit(defaults, log, catalog, 'ease');
      const grid: number[] = [];
      for (const halfLifeDays of [3, 10, 30, 90, 365, null])
        for (const lambda of [66.7, 200, 600])
          grid.push(score!({ ...paramsOf(defaults, 'ease'), halfLifeDays, lambda }).ndcg);
      expect(report.chosenScore!.ndcg).toBeGreaterThanOrEqual(0.95 * Math.max(...grid));
      // Every candidate is reported with its scores; the defaults were the first tried.
      expect(report.candidates[0]!.params).toEqual(report.defaults);
      expect(report.candidates.length).toBeGreaterThanOrEqual(6);
      expect(report.candidates.length).toBeLessThanOrEqual(13);
      expect(Math.max(...report.candidates.map((c) => c.ndcg))).toBeLessThanOrEqual(
        report.chosenScore!.ndcg * 1.011,
      );
      // The winner is retrained on every interaction, through the last one.
      const model = bundle.models.find((m) => m.strategy === 'personalized')!;
      expect(model.kind).toBe('ease');
      if (model.kind === 'ease') {
        expect(model.config.halfLifeDays).toBe(report.chosen.halfLifeDays);
        expect(model.config.lambda).toBe(report.chosen.lambda);
        expect(model.trainedThrough).toBe(now);
      }
    },
  );

  it('splits on time: the tail is the latest interactions, about the share asked', () => {
    const { cut, before, tail } = tailSplit(drifting, 0.15);
    expect(Math.max(...before.map((x) => x.timestamp))).toBeLessThan(cut!);
    expect(Math.min(...tail.map((x) => x.timestamp))).toBe(cut);
    expect(tail.length / drifting.length).toBeGreaterThan(0.149);
    expect(tail.length / drifting.length).toBeLessThan(0.151);
  });

  it('keeps the defaults and says why when the data are too small to split', () => {
    const few = drifting.filter((x) => Number(x.userId.slice(1)) < 20);
    const { bundle, tuning } = trainTuned(undefined, few, catalogOf(few), Date.UTC(2020, 6, 1), {});
    expect(tuning!.status).toBe('skipped');
    expect(tuning!.reason).toMatch(/too little data to validate on: \d+ people .* 50 are needed/);
    expect(tuning!.chosen).toEqual(tuning!.defaults);
    expect(tuning!.candidates).toEqual([]);
    const personalized = bundle.models.find((m) => m.strategy === 'personalized')!;
    expect(personalized.kind === 'ease' && personalized.config.halfLifeDays).toBe(30);
  });

  it('trains as configured with tune off', () => {
    const few = drifting.slice(0, 2000);
    const plain = trainTuned(undefined, few, catalogOf(few), few.at(-1)!.timestamp, false);
    expect(plain.tuning).toBeNull();
    expect(plain.bundle.models).toHaveLength(7);
  });
});
