import { DAY_MS } from './affinity-facts.js';
import type { ProfileFacts } from './facts-schema.js';
import { lifecycleStage } from './lifecycle.js';
import { purchaseHistory } from './purchase-history.js';
import type { WorkspaceModel } from './workspace-model.js';

/**
 * The first instant after `now` at which a stepwise, time-driven computed trait changes
 * with no new event: days_since_last_order ticks over, the RFM recency score crosses a
 * quintile boundary, the lifecycle stage passes an at-risk or lapsed threshold, or a
 * session leaves the 30-day window. Null when none ever will.
 *
 * Segments on such traits schedule their re-check here, so membership flips at the
 * moment the trait does rather than at the next daily sweep. (CLV, p_alive and expected
 * orders drift continuously; callers re-check those on a period instead.)
 *
 * @example
 * // last order 2.5 days ago: days_since_last_order becomes 3 in half a day
 * traitsChangeAt(facts, now, model); // now + 0.5 * DAY_MS (or earlier)
 */
export function traitsChangeAt(
  facts: ProfileFacts,
  now: number,
  model: WorkspaceModel,
): number | null {
  let next = Infinity;
  // A trait defined by `elapsed > threshold` first differs one millisecond past it.
  const after = (at: number) => {
    if (at > now && at < next) next = at;
  };
  for (const [, end] of facts.sessions) after(end + 30 * DAY_MS + 1);

  const history = purchaseHistory(facts);
  const lastOrder = history.orders[history.orders.length - 1];
  if (lastOrder) {
    const days = Math.floor(Math.max(0, now - lastOrder.at) / DAY_MS);
    after(lastOrder.at + (days + 1) * DAY_MS);
    for (const b of model.rfm?.recency_days ?? []) after(lastOrder.at + b * DAY_MS + 1);
  }
  const times = history.occasions.map((o) => o.at);
  const last = times[times.length - 1];
  const { gapDays } = lifecycleStage(times, now, {
    atRiskMultiplier: model.settings.at_risk_multiplier,
    lapsedMultiplier: model.settings.lapsed_multiplier,
    defaultGapDays: model.default_gap_days,
    minGapDays: model.settings.min_gap_days,
  });
  if (last !== undefined && gapDays !== null) {
    after(last + model.settings.at_risk_multiplier * gapDays * DAY_MS + 1);
    after(last + model.settings.lapsed_multiplier * gapDays * DAY_MS + 1);
  }
  return Number.isFinite(next) ? Math.ceil(next) : null;
}
