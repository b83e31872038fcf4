import { DAY_MS } from './affinity-facts.js';
import { topAffinities } from './affinity-traits.js';
import { bgnbdExpectedPurchases, bgnbdPAlive } from './bgnbd.js';
import { customerLifetimeValue, DAYS_PER_MONTH } from './clv.js';
import type { ComputedTraits } from './computed-traits.js';
import { bestSendHour, preferredChannel } from './engagement-traits.js';
import type { ProfileFacts } from './facts-schema.js';
import { gammaGammaExpectedSpend } from './gamma-gamma.js';
import { lifecycleStage } from './lifecycle.js';
import { median, purchaseHistory, purchaseSummary, spendSummary } from './purchase-history.js';
import { toObject } from './records.js';
import { rfmScores } from './rfm.js';
import { upliftTraits } from './uplift-trait.js';
import type { WorkspaceModel } from './workspace-model.js';

/** Stated traits with tombstones (null) dropped. */
function statedTraits(facts: ProfileFacts): Record<string, unknown> {
  return Object.fromEntries(
    facts.traits.filter(([, s]) => s.value !== null).map(([k, s]) => [k, s.value]),
  );
}

/** The purchase-model traits; nulls where the workspace model has no fit. */
function predictions(
  history: ReturnType<typeof purchaseHistory>,
  now: number,
  model: WorkspaceModel,
): Pick<ComputedTraits, 'expected_orders_12m' | 'p_alive' | 'clv_12m'> {
  const summary = purchaseSummary(history, now);
  if (!summary || !model.bgnbd) return { expected_orders_12m: null, p_alive: null, clv_12m: null };
  const spend = model.gamma_gamma
    ? gammaGammaExpectedSpend(model.gamma_gamma, spendSummary(history))
    : null;
  return {
    expected_orders_12m: bgnbdExpectedPurchases(model.bgnbd, 12 * DAYS_PER_MONTH, summary),
    p_alive: bgnbdPAlive(model.bgnbd, summary),
    clv_12m:
      spend === null
        ? null
        : customerLifetimeValue(
            model.bgnbd,
            summary,
            spend,
            12,
            model.settings.monthly_discount_rate,
          ),
  };
}

/**
 * Everything a marketer reads about a person, from their facts at `now` against the
 * workspace model. Pure and cheap (no fitting): call it on read, or after each event.
 *
 * @example
 * const model = fitWorkspaceModel(allFacts, now);
 * const traits = deriveTraits(facts, now, model);
 * traits.lifecycle; // 'at_risk'
 * traits.rfm?.code; // '345'
 */
export function deriveTraits(
  facts: ProfileFacts,
  now: number,
  model: WorkspaceModel,
): ComputedTraits {
  const { settings } = model;
  const history = purchaseHistory(facts);
  const firstOrder = history.orders[0];
  const lastOrder = history.orders[history.orders.length - 1];
  const orderCount = history.orders.length;
  const sinceLast = lastOrder ? Math.max(0, (now - lastOrder.at) / DAY_MS) : null;
  const lifecycle = lifecycleStage(
    history.occasions.map((o) => o.at),
    now,
    {
      atRiskMultiplier: settings.at_risk_multiplier,
      lapsedMultiplier: settings.lapsed_multiplier,
      defaultGapDays: model.default_gap_days,
      minGapDays: settings.min_gap_days,
    },
  );
  const timezone = facts.timezone?.value ?? null;
  const half = settings.affinity_half_life_days;
  const top = settings.affinity_top;
  const traits: ComputedTraits = {
    first_seen: facts.first_seen,
    last_seen: facts.last_seen,
    event_counts: toObject(facts.event_counts),
    sessions: facts.sessions.length,
    sessions_last_30d: facts.sessions.filter(([, end]) => end >= now - 30 * DAY_MS).length,
    order_count: orderCount,
    revenue: history.revenue,
    aov: history.pricedOrders > 0 ? history.revenue / history.pricedOrders : null,
    refunded: history.refunded,
    first_order_at: firstOrder?.at ?? null,
    last_order_at: lastOrder?.at ?? null,
    days_since_last_order: sinceLast === null ? null : Math.floor(sinceLast),
    typical_days_between_orders: median(history.gapsDays),
    rfm:
      model.rfm && sinceLast !== null
        ? rfmScores(model.rfm, {
            recencyDays: sinceLast,
            frequency: orderCount,
            monetary: history.revenue,
          })
        : null,
    ...predictions(history, now, model),
    lifecycle: lifecycle.stage,
    affinities: {
      category: topAffinities(facts.affinity.category, now, half, top),
      brand: topAffinities(facts.affinity.brand, now, half, top),
      size: topAffinities(facts.affinity.size, now, half, top),
      colour: topAffinities(facts.affinity.colour, now, half, top),
    },
    preferred_channel: preferredChannel(facts.channels),
    channel_engagement: structuredClone(facts.channels),
    best_send_hour: bestSendHour(facts.hours, timezone, now, settings.engaged_hour_weight),
    timezone,
    device: facts.device ? { ...facts.device.value } : null,
    os: facts.os?.value ?? null,
    browser: facts.browser?.value ?? null,
    first_touch: facts.first_touch,
    last_touch: facts.last_touch,
    traits: statedTraits(facts),
  };
  const uplift = upliftTraits(model.uplift, traits);
  return uplift ? { ...traits, uplift } : traits;
}
