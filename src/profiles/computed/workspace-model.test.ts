import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bgnbdUnconditionalExpected, type BgNbdParams } from './bgnbd.js';
import { deriveTraits } from './derive-traits.js';
import type { ProfileFacts } from './facts-schema.js';
import { gamma, seededRng, simulateBgNbd } from '../../../test/factories/purchase-simulation.js';
import { factsOf, page, track } from '../../../test/factories/profile-events.js';
import { ModelSettings, WorkspaceModel, fitWorkspaceModel } from './workspace-model.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 0, 1);

/**
 * A simulated shop: BG/NBD customers whose first purchase falls 60-500 days before NOW, each
 * purchase an `Order Completed` event with a Gamma-Gamma spend. Intermediate purchases are
 * spread over (0, t_x): the likelihood depends on (x, t_x, T) only.
 */
function simulateShop(truth: BgNbdParams, customers: number, seed: number): ProfileFacts[] {
  const rng = seededRng(seed);
  const ages = Array.from({ length: customers }, () => 60 + Math.floor(rng.next() * 440));
  const summaries = simulateBgNbd(truth, customers, (i) => ages[i]!, rng);
  return summaries.map(({ x, tx }, i) => {
    const start = NOW - ages[i]! * DAY + Math.floor(rng.next() * 8) * 3_600_000;
    const nu = gamma(rng, 4, 100); // per-customer spend scale (Gamma-Gamma, q = 4, γ = 100)
    const offsets = [
      0,
      ...Array.from({ length: Math.max(0, x - 1) }, () => rng.next() * tx).sort((a, b) => a - b),
    ];
    if (x > 0) offsets.push(tx);
    const events = offsets.map((d, k) =>
      track(
        'Order Completed',
        start + Math.round(d * DAY),
        { order_id: `c${i}-${k}`, revenue: Math.round(gamma(rng, 5, nu) * 100) / 100 },
        { messageId: `c${i}-${k}` },
      ),
    );
    return factsOf([page(start - DAY, {}, { messageId: `c${i}-visit` }), ...events]);
  });
}

describe('fitWorkspaceModel', () => {
  const truth = { r: 0.8, alpha: 40, a: 0.6, b: 3 };
  const shop = simulateShop(truth, 4000, 42);
  const model = fitWorkspaceModel([...shop, factsOf([page(NOW - DAY)])], NOW);

  it('fits the purchase models through the facts pipeline', () => {
    expect(WorkspaceModel.parse(model)).toEqual(model);
    expect(model.customers).toBe(4000);
    const fit = model.bgnbd!;
    const rel = (x: number, y: number) => Math.abs(x / y - 1);
    // Same-day purchases fold into one occasion, so x shrinks a little; rates stay close.
    expect(rel(fit.r / fit.alpha, truth.r / truth.alpha)).toBeLessThan(0.12);
    expect(rel(fit.a / (fit.a + fit.b), truth.a / (truth.a + truth.b))).toBeLessThan(0.2);
    const gg = model.gamma_gamma!;
    // Mean spend per occasion: E[Gamma(5, ν)] = 5/ν with ν ~ Gamma(4, 100) → 5 · 100 / 3.
    expect(rel((gg.p * gg.gamma) / (gg.q - 1), (5 * 100) / 3)).toBeLessThan(0.1);
    expect(model.rfm!.frequency[0]).toBeGreaterThanOrEqual(1);
    expect(model.default_gap_days).toBeGreaterThan(0);
  });

  it('gives every customer RFM, P(alive), expected orders and CLV consistent with the fit', () => {
    for (const facts of shop.slice(0, 200)) {
      const t = deriveTraits(facts, NOW, model);
      expect(t.rfm?.code).toMatch(/^[1-5]{3}$/);
      expect(t.p_alive).toBeGreaterThan(0);
      expect(t.p_alive).toBeLessThanOrEqual(1);
      expect(t.clv_12m).toBeGreaterThan(0);
      expect(t.expected_orders_12m).toBeGreaterThan(0);
    }
    // A loyal, recent customer is worth more than one who bought once long ago.
    const loyal = shop.find(
      (f) => f.orders.length >= 6 && NOW - f.orders[f.orders.length - 1]!.at < 20 * DAY,
    )!;
    const gone = shop.find((f) => f.orders.length === 1 && NOW - f.orders[0]!.at > 400 * DAY)!;
    expect(deriveTraits(loyal, NOW, model).clv_12m!).toBeGreaterThan(
      deriveTraits(gone, NOW, model).clv_12m!,
    );
  });

  it('predicts purchase counts of a fresh population (calibration)', () => {
    // E[X(t)] of the fitted model against the mean repeat count of 4,000 new customers drawn
    // from the true process and watched for t days.
    const fit = model.bgnbd!;
    for (const t of [90, 365]) {
      const fresh = simulateBgNbd(truth, 4000, () => t, seededRng(t));
      const observed = fresh.reduce((s, c) => s + c.x, 0) / fresh.length;
      expect(Math.abs(bgnbdUnconditionalExpected(fit, t) / observed - 1)).toBeLessThan(0.1);
    }
  });

  it('returns a model without fits for a workspace without enough customers', () => {
    const small = fitWorkspaceModel(shop.slice(0, 5), NOW, { default_gap_days: 21 });
    expect(small.customers).toBe(5);
    expect(small.bgnbd).toBeNull();
    expect(small.gamma_gamma).toBeNull();
    expect(small.rfm).not.toBeNull();
    const empty = fitWorkspaceModel([], NOW, { default_gap_days: 21 });
    expect([empty.customers, empty.rfm, empty.default_gap_days]).toEqual([0, null, 21]);
  });
});

it('documents every setting with its default in docs/computed-traits.md', () => {
  const doc = readFileSync(new URL('../../../docs/computed-traits.md', import.meta.url), 'utf8');
  const table = [...doc.matchAll(/^\| `([a-z_]+)` +\| +([\d.]+) \|/gm)].map(([, name, value]) => [
    name,
    Number(value),
  ]);
  expect(Object.fromEntries(table)).toEqual(ModelSettings.parse({}));
});
