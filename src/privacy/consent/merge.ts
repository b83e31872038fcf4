import { groupBy } from '../../shared/index.js';
import type {
  ConsentChange,
  ConsentEntry,
  Consents,
  ConsentSource,
  ConsentState,
} from './consent.js';
import { emptyConsents, targetName } from './consent.js';

/**
 * How much weight a statement's source carries. Anyone may say no; a yes lifts a no only
 * if it is at least as strong. A write key is public in every browser, so what it says
 * (identify traits, the consent API called with it) and bulk imports are weak; the
 * person acting on a signed link (preference center, unsubscribe), an admin key and a
 * bounce are strong.
 */
export const SOURCE_STRENGTH: Record<ConsentSource, 1 | 2> = {
  identify: 1,
  import: 1,
  api: 1,
  admin: 2,
  bounce: 2,
  preference_center: 2,
  unsubscribe: 2,
};

// Statements at the same instant are put in a fixed order so that any arrival order
// folds to the same result; the "no" comes last (and so wins), then the more deliberate
// source.
const STATE_RANK: Record<ConsentState, number> = { unknown: 0, granted: 1, denied: 2 };
const SOURCE_RANK: Record<ConsentSource, number> = {
  import: 0,
  identify: 1,
  api: 2,
  admin: 3,
  bounce: 4,
  preference_center: 5,
  unsubscribe: 6,
};

/** The order statements about one thing are folded in: by time, then the tie-breaks. */
export function compareStatements(a: ConsentChange, b: ConsentChange): number {
  return (
    a.at - b.at ||
    STATE_RANK[a.state] - STATE_RANK[b.state] ||
    SOURCE_RANK[a.source] - SOURCE_RANK[b.source]
  );
}

/**
 * The consents a history of statements leaves, whatever order they arrived in. Per
 * channel, topic and personalization, statements are taken in time order:
 *
 * - a `denied` always takes effect, and raises the bar to its source's strength;
 * - a `granted` or `unknown` takes effect only if its source is at least as strong as
 *   every `denied` since the last statement that took effect, and then lowers the bar.
 *
 * So people may change their mind, a later weak "yes" after a weak "no" counts, but an
 * identify trait or a write-key call can never undo an unsubscribe: only the preference
 * center or an admin can. If the latest of the strongest statements is a "no", the
 * result is a "no" (tested as a property).
 *
 * @example
 * foldStatements([
 *   { target: email, state: 'denied', source: 'unsubscribe', at: 1 },
 *   { target: email, state: 'granted', source: 'identify', at: 2 },
 * ]).channels.email // { state: 'denied', source: 'unsubscribe', at: 1 }
 */
export function foldStatements(statements: readonly ConsentChange[]): Consents {
  const byTarget = groupBy(statements, (s) => targetName(s.target));
  const out = emptyConsents();
  for (const list of byTarget.values()) {
    list.sort(compareStatements);
    let entry: ConsentEntry | undefined;
    let bar = 0;
    for (const s of list) {
      const strength = SOURCE_STRENGTH[s.source];
      if (s.state === 'denied') {
        entry = { state: s.state, source: s.source, at: s.at };
        bar = Math.max(bar, strength);
      } else if (strength >= bar) {
        entry = { state: s.state, source: s.source, at: s.at };
        bar = 0;
      }
    }
    if (entry) place(out, list[0]!.target, entry);
  }
  return out;
}

function place(out: Consents, target: ConsentChange['target'], entry: ConsentEntry): void {
  switch (target.kind) {
    case 'channel':
      out.channels[target.channel] = entry;
      break;
    case 'topic':
      // defineProperty: a topic is user input and must stay data even if it were `__proto__`.
      Object.defineProperty(out.topics, target.topic, {
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
