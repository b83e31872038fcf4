import type { DecideRequest, PlacementArm } from './decide.js';
import { commitDecision, decisionRow, type CommitTarget } from './decide-commit.js';
import { resultOf, view } from './decide-parts.js';
import type { Choice } from './core/types.js';
import type { DecideResult } from './decision.js';
import type { LiveOffer, LivePlacement, Snapshot } from './snapshot.js';

/** An experiment arm that names an offer: that offer, or null to let the policy choose. */
export async function variantDecision(
  target: CommitTarget,
  snap: Snapshot,
  placement: LivePlacement,
  req: DecideRequest,
  profileId: string | null,
  context: Record<string, unknown>,
  now: number,
  arm: PlacementArm,
): Promise<DecideResult | null> {
  const offer = snap.offers.get(arm.offer!);
  if (!offer) return null;
  const reasons = [`experiment:${arm.experimentId}:${arm.arm}`];
  const row = decisionRow(req, placement, profileId, now, {
    offer_id: offer.id,
    offer_version: offer.version,
    policy_kind: placement.policy.kind,
    propensity: 1,
    // Empty: the arm chose, not the policy; the learner and evaluation leave it out.
    distribution: '{}',
    features: '{}',
    context: JSON.stringify(context),
    reasons: JSON.stringify(reasons),
    holdout: 0,
    learned_at: now,
  });
  const outcome = await commitDecision(target, offer, row);
  if (outcome.kind === 'existing') return resultOf(snap, outcome.row);
  if (outcome.kind !== 'ok') return null;
  return answerOf(
    placement,
    offer,
    row.id,
    outcome.row.code ?? null,
    { propensity: 1 },
    reasons,
    placement.policy.kind,
  );
}

export async function fallbackDecision(
  target: CommitTarget,
  snap: Snapshot,
  placement: LivePlacement,
  req: DecideRequest,
  profileId: string | null,
  context: Record<string, unknown>,
  now: number,
  reasons: string[],
): Promise<DecideResult> {
  const holdout = reasons[0] === 'holdout';
  const offer = snap.offers.get(placement.def.default);
  const row = decisionRow(req, placement, profileId, now, {
    offer_id: placement.def.default,
    offer_version: offer?.version ?? 0,
    policy_kind: placement.policy.kind,
    propensity: 1,
    // Empty: the policy did not choose; the learner and evaluation leave the row out.
    distribution: '{}',
    features: '{}',
    context: JSON.stringify(context),
    reasons: JSON.stringify(reasons),
    holdout: holdout ? 1 : 0,
    learned_at: now,
  });
  // The default spends no budget and claims no code: it is logged, deduplicated.
  const outcome = await commitDecision(target, undefined, row);
  if (outcome.kind === 'existing') return resultOf(snap, outcome.row);
  return {
    decisionId: row.id,
    placement: placement.id,
    offer: view(offer, null),
    propensity: 1,
    policy: { kind: placement.policy.kind, version: placement.version },
    version: row.offer_version,
    holdout,
    reasons,
  };
}

export function answerOf(
  placement: LivePlacement,
  offer: LiveOffer,
  id: string,
  code: string | null,
  choice: Pick<Choice, 'propensity'>,
  reasons: string[],
  policyKind: string,
): DecideResult {
  return {
    decisionId: id,
    placement: placement.id,
    offer: view(offer, code),
    propensity: choice.propensity,
    policy: { kind: policyKind, version: placement.version },
    version: offer.version,
    holdout: false,
    reasons,
  };
}
