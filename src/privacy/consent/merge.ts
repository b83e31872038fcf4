import type {
  ConsentChange,
  ConsentEntry,
  Consents,
  ConsentSource,
  ConsentState,
} from './consent.js';
import { consentFor } from './consent.js';

// Ties on time are broken by a fixed order so that merging is commutative: replicas and
// replays that see the same changes in any order end with the same consents. On a tie
// the "no" wins (respect the no), then the more deliberate source.
const STATE_RANK: Record<ConsentState, number> = { unknown: 0, granted: 1, denied: 2 };
const SOURCE_RANK: Record<ConsentSource, number> = {
  import: 0,
  identify: 1,
  api: 2,
  bounce: 3,
  preference_center: 4,
  unsubscribe: 5,
};

/**
 * Whether `incoming` replaces `current` under last-writer-wins: the later `at` wins; at
 * the same instant `denied` beats `granted` beats `unknown`, then the source order
 * import < identify < api < bounce < preference_center < unsubscribe.
 */
export function supersedes(incoming: ConsentEntry, current: ConsentEntry | undefined): boolean {
  if (current === undefined) return true;
  if (incoming.at !== current.at) return incoming.at > current.at;
  if (incoming.state !== current.state) {
    return STATE_RANK[incoming.state] > STATE_RANK[current.state];
  }
  return SOURCE_RANK[incoming.source] > SOURCE_RANK[current.source];
}

/**
 * Applies consent changes, last writer wins by time. Pure: returns new consents and
 * leaves the input untouched. Any order of the same changes gives the same result, so
 * a late-arriving older change (an import of last year's opt-ins) cannot overwrite a
 * newer unsubscribe.
 *
 * @example
 * applyConsentChanges(emptyConsents(), [
 *   { target: { kind: 'channel', channel: 'email' }, state: 'denied', source: 'unsubscribe', at: 2 },
 *   { target: { kind: 'channel', channel: 'email' }, state: 'granted', source: 'import', at: 1 },
 * ]).channels.email // { state: 'denied', source: 'unsubscribe', at: 2 }
 */
export function applyConsentChanges(
  consents: Consents,
  changes: readonly ConsentChange[],
): Consents {
  const out: Consents = {
    channels: { ...consents.channels },
    topics: { ...consents.topics },
    ...(consents.personalization ? { personalization: consents.personalization } : {}),
  };
  for (const change of changes) {
    const entry: ConsentEntry = { state: change.state, source: change.source, at: change.at };
    if (!supersedes(entry, consentFor(out, change.target))) continue;
    switch (change.target.kind) {
      case 'channel':
        out.channels[change.target.channel] = entry;
        break;
      case 'topic':
        // defineProperty: a topic is user input and must stay data even if it were `__proto__`.
        Object.defineProperty(out.topics, change.target.topic, {
          value: entry,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        break;
      case 'personalization':
        out.personalization = entry;
        break;
    }
  }
  return out;
}
