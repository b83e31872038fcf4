import { consentFromTraits } from '../privacy/index.js';
import type { PipelineStage } from '../profiles/index.js';
import { mergeConsents, recordConsent } from './consent-store.js';

/**
 * Consent stated in identify traits (`email_opt_in`, `unsubscribed`, `consent: {...}`,
 * see docs/consent.md) is recorded in the profile batch, and merged profiles' statements
 * follow them into the survivor.
 */
export const consentStage: PipelineStage = {
  name: 'consent',
  run: async (tx, changes, now) => {
    for (const c of changes) {
      await mergeConsents(tx, c.workspaceId, c.profileId, c.merged, now);
      const said = c.events
        .filter((e) => e.type === 'identify')
        // A statement is never dated after Rapport received it: a client clock (or a
        // forged timestamp) must not outrank every later "no".
        .flatMap(
          (e) =>
            consentFromTraits(e.traits, Math.min(e.timestamp, e.receivedAt), 'identify').changes,
        );
      if (said.length > 0) await recordConsent(tx, c.workspaceId, c.profileId, said, now, c.facts);
    }
    return changes;
  },
};
