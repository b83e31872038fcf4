import type { Kysely } from 'kysely';
import {
  deriveTraits,
  eventsOfPeople,
  loadFacts,
  type ComputedTraits,
  type ModelCache,
} from '../profiles/index.js';
import {
  indexEvents,
  memberSegmentIds,
  type Subject,
  type SubjectEvent,
} from '../segments/index.js';
import type { Database } from '../store/index.js';
import { CONTEXT_KEY } from './eligibility.js';
import type { LiveOffer } from './snapshot.js';

/** What decide knows about the person: computed traits and the subject eligibility reads. */
export interface DecisionPerson {
  computed: ComputedTraits | null;
  subject: Subject;
}

/**
 * Loads only what the candidates' eligibility reads: facts (derived once) always for a
 * known person, memberships and named events only when some condition needs them.
 */
export async function loadPerson(
  db: Kysely<Database>,
  models: ModelCache,
  workspaceId: string,
  profileId: string | null,
  offers: readonly LiveOffer[],
  context: Record<string, unknown>,
  now: number,
): Promise<DecisionPerson> {
  let computed: ComputedTraits | null = null;
  let segments = new Set<string>();
  let events: SubjectEvent[] = [];
  if (profileId) {
    const loaded = await loadFacts(db, profileId);
    if (loaded) computed = deriveTraits(loaded.facts, now, await models.get(workspaceId, db));
    if (offers.some((o) => o.eligibility?.segments))
      segments = await memberSegmentIds(db, workspaceId, profileId);
    const names = [...new Set(offers.flatMap((o) => o.eligibility?.events ?? []))];
    if (names.length > 0) {
      const logged = (await eventsOfPeople(db, [profileId], { names })).get(profileId) ?? [];
      events = logged.map((e) => ({
        type: e.type,
        event: e.event,
        timestamp: e.timestamp,
        properties: e.properties,
        ...(e.context ? { context: e.context } : {}),
      }));
    }
  }
  const { traits = {}, ...rest } = computed ?? {};
  return {
    computed,
    subject: {
      traits,
      computed: { ...rest, [CONTEXT_KEY]: context },
      events,
      eventsByName: indexEvents(events),
      segments,
    },
  };
}
