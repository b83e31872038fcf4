import type { DecidedOffer, OfferProvider } from '../channels/index.js';
import { OfferChannel, type ConsentLookup, type DecisionService } from '../decisions/index.js';
import type { JourneyDecide } from '../journeys/index.js';
import { readSettings, type ConsentCache } from '../messaging/index.js';
import { mayPersonalize } from '../privacy/index.js';
import { TtlCache, ValidationError, type Clock } from '../shared/index.js';

/**
 * What decide needs to know of consent: whether the person may be personalized, and the
 * topics they refused. The person's consents come from the cache that every consent
 * change drops in every process (a "no" counts from the next request); the workspace's
 * policy is cached for a few seconds.
 */
export function consentLookup(clock: Clock, cache: ConsentCache): ConsentLookup {
  const policies = new TtlCache<Awaited<ReturnType<typeof readSettings>>['consent']>(clock, 5_000);
  return async (db, workspaceId, profileId) => {
    const policy = await policies.get(
      workspaceId,
      async () => (await readSettings(db, workspaceId)).consent,
    );
    if (!profileId)
      return { personalized: policy.personalization === 'opt_out', deniedTopics: new Set() };
    const consents = await cache.get(db, workspaceId, profileId);
    const denied = Object.entries(consents.topics)
      .filter(([, e]) => e?.state === 'denied')
      .map(([topic]) => topic);
    return { personalized: mayPersonalize(consents, policy), deniedTopics: new Set(denied) };
  };
}

/**
 * `{% offer placement: "email_hero" %}` in a message: one decision per message and
 * placement (rendering again, or retrying the send, shows the same offer and code), or
 * the decision of the journey's `decide` step for that placement when there was one. The
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
  decided: Readonly<Record<string, string>>,
) => OfferProvider {
  return (workspaceId, profileId, messageId, channel, decided) =>
    async (request): Promise<DecidedOffer | null> => {
      // A journey's decide step chose already: its decision (logged under its id as the
      // dedupe key) is answered again, the same offer and code.
      const known = Object.hasOwn(decided, request.placement)
        ? decided[request.placement]
        : undefined;
      const r = await decisions.decide({
        workspaceId,
        placement: request.placement,
        profileId,
        channel,
        context: { channel },
        ...(known
          ? { dedupeKey: known, decisionId: known }
          : { dedupeKey: `message:${messageId}:${request.placement}` }),
      });
      if (!r.offer || r.offer.kind === 'no_offer') return null;
      const { content, ...offer } = r.offer;
      return { ...content[channel], ...offer, decision_id: r.decisionId };
    };
}

/**
 * A journey's decide step: the decision of `decide` (holdout, consent, eligibility, caps,
 * policy, budget and code) in the step's transaction, logged under the id the run keeps,
 * with the journey, run and step in its context (the trace links them). A placement
 * deleted since the journey was saved decides nothing: the run goes on, and its
 * `{% offer %}` blocks render their `else`; anything else fails the batch (retried).
 */
export function journeyDecide(
  decisions: DecisionService,
  onUnknown: (problem: { workspaceId: string; placement: string; runId: string }) => void,
): JourneyDecide {
  return async (tx, workspaceId, e) => {
    const channel = OfferChannel.safeParse(e.context.channel);
    try {
      await decisions.decide({
        workspaceId,
        placement: e.placement,
        profileId: e.profileId,
        context: { ...e.context, journey: { id: e.journeyId, run: e.runId, step: e.stepId } },
        ...(channel.success ? { channel: channel.data } : {}),
        dedupeKey: e.decisionId,
        decisionId: e.decisionId,
        tx,
      });
    } catch (error) {
      // Thrown before any statement, so the transaction is still good to go on with.
      if (!(error instanceof ValidationError)) throw error;
      onUnknown({ workspaceId, placement: e.placement, runId: e.runId });
    }
  };
}
