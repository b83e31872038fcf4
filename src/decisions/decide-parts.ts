import type { Selectable } from 'kysely';
import { z } from 'zod';
import { decodeJson } from '../shared/index.js';
import type { DecisionsTable } from '../store/index.js';
import type { DecideResult, DecidedOfferView } from './decision.js';
import type { OfferChannel } from './offer.js';
import type { DecisionPerson } from './person.js';
import type { LiveOffer, Snapshot } from './snapshot.js';

/** What consent allows for a person: personalization, and the topics they refused. */
export interface ConsentView {
  personalized: boolean;
  deniedTopics: ReadonlySet<string>;
}

const Reasons = z.array(z.string());

/** FNV-1a: a stable bucket 0-99 per person and placement for the holdout. */
export function bucket(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 100;
}

export function view(offer: LiveOffer | undefined, code: string | null): DecidedOfferView | null {
  if (!offer) return null;
  const d = offer.def;
  return {
    id: offer.id,
    name: d.name,
    kind: d.kind,
    version: offer.version,
    value: d.value,
    code,
    content: d.content,
  };
}

/**
 * The one place an offer is chosen: the API, journey steps and `{% offer %}` blocks all
 * call `decide`. In order: the placement (400 when unknown), the holdout, consent (no
 * personalization: fixed priority, no features), each candidate's validity, channel,
 * consent topic, eligibility and caps; the policy's distribution over what is left; then
 * the chosen offer's budget and code in one transaction, falling to the next choice when
 * either ran out; and the decision logged with its propensity. Nothing left: the default,
 * reason `no_eligible_offer`.
 */

/** Why a candidate cannot be shown now, or null when it can. */
export function exclusion(
  o: LiveOffer,
  person: DecisionPerson,
  consent: ConsentView,
  channel: OfferChannel | undefined,
  now: number,
  history: { offer_id: string; created_at: number; redeemed_at: number | null }[],
): string | null {
  if (now < o.validFrom) return 'not_yet_valid';
  if (now >= o.validUntil) return 'expired';
  if (channel && o.def.channels && !o.def.channels.includes(channel)) return 'channel';
  if (o.def.consentTopic && consent.deniedTopics.has(o.def.consentTopic)) return 'consent';
  if (o.exhausted) return 'budget';
  const mine = history.filter((h) => h.offer_id === o.id);
  if (o.def.caps?.neverAfterRedeemed && mine.some((h) => h.redeemed_at !== null)) return 'redeemed';
  const cap = o.def.caps?.perPerson;
  if (cap && o.capWindowMs !== null) {
    const since = now - o.capWindowMs;
    if (mine.filter((h) => h.created_at > since).length >= cap.max) return 'capped';
  }
  if (o.eligibility && !o.eligibility.run(person.subject, now)) return 'not_eligible';
  return null;
}

/** Spends the budget, claims the code and logs the decision, all or nothing. */

/** A logged decision answered again (same dedupe key). */
export function resultOf(snap: Snapshot, row: Selectable<DecisionsTable>): DecideResult {
  const reasons = decodeJson(Reasons, row.reasons);
  return {
    decisionId: row.id,
    placement: row.placement_id,
    offer: view(snap.offers.get(row.offer_id), row.code),
    propensity: row.propensity,
    policy: { kind: row.policy_kind, version: row.policy_version },
    version: row.offer_version,
    holdout: row.holdout === 1,
    reasons: reasons.kind === 'ok' ? reasons.value : [],
  };
}
