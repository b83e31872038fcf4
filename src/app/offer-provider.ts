import type { DecidedOffer, OfferProvider } from '../channels/index.js';
import type { ConsentLookup, DecisionService } from '../decisions/index.js';
import { loadConsents, readSettings } from '../messaging/index.js';
import { mayPersonalize } from '../privacy/index.js';
import { TtlCache, type Clock } from '../shared/index.js';

/**
 * What decide needs to know of consent: whether the person may be personalized, and the
 * topics they refused. The person's statements are read fresh (a "no" counts at once);
 * the workspace's policy is cached for a few seconds.
 */
export function consentLookup(clock: Clock): ConsentLookup {
  const policies = new TtlCache<Awaited<ReturnType<typeof readSettings>>['consent']>(clock, 5_000);
  return async (db, workspaceId, profileId) => {
    const policy = await policies.get(
      workspaceId,
      async () => (await readSettings(db, workspaceId)).consent,
    );
    if (!profileId)
      return { personalized: policy.personalization === 'opt_out', deniedTopics: new Set() };
    const consents = await loadConsents(db, workspaceId, profileId);
    const denied = Object.entries(consents.topics)
      .filter(([, e]) => e?.state === 'denied')
      .map(([topic]) => topic);
    return { personalized: mayPersonalize(consents, policy), deniedTopics: new Set(denied) };
  };
}

/**
 * `{% offer placement: "email_hero" %}` in a message: one decision per message and
 * placement (rendering again, or retrying the send, shows the same offer and code). The
 * block renders the offer's content for the message's channel plus `id`, `name`, `kind`,
 * `code`, `value` and `decision_id`; a `no_offer` offer (or none) renders the `else`.
 */
export function offerProvider(
  decisions: DecisionService,
): (
  workspaceId: string,
  profileId: string,
  messageId: string,
  channel: 'email' | 'push',
) => OfferProvider {
  return (workspaceId, profileId, messageId, channel) =>
    async (request): Promise<DecidedOffer | null> => {
      const r = await decisions.decide({
        workspaceId,
        placement: request.placement,
        profileId,
        channel,
        context: { channel },
        dedupeKey: `message:${messageId}:${request.placement}`,
      });
      if (!r.offer || r.offer.kind === 'no_offer') return null;
      const { content, ...offer } = r.offer;
      return { ...content[channel], ...offer, decision_id: r.decisionId };
    };
}
