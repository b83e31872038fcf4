import type { Kysely } from 'kysely';
import { TtlCache, type Clock } from '../shared/index.js';
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
  known?: { computed: ComputedTraits | null },
): Promise<DecisionPerson> {
  let computed: ComputedTraits | null = known ? known.computed : null;
  let segments = new Set<string>();
  let events: SubjectEvent[] = [];
  if (profileId) {
    if (!known) computed = await computedOf(db, models, workspaceId, profileId, now);
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

async function computedOf(
  db: Kysely<Database>,
  models: ModelCache,
  workspaceId: string,
  profileId: string,
  now: number,
): Promise<ComputedTraits | null> {
  const loaded = await loadFacts(db, profileId);
  return loaded ? deriveTraits(loaded.facts, now, await models.get(workspaceId, db)) : null;
}

/** How long decide may use a person's computed traits before reading them again. */
const PERSON_TTL_MS = 2_000;

/**
 * Computed traits of the people decide saw lately, derived once and reused for a couple
 * of seconds: reading and deriving a profile's facts was most of a decision's cost.
 * This process's pipeline forgets a person as soon as their profile changes; a change
 * made by another process is seen within the TTL. Consent is never cached here: it is
 * read on every decision, so a "no" applies to the very next one.
 */
export class PersonCache {
  private readonly cache: TtlCache<ComputedTraits | null>;

  constructor(clock: Clock) {
    this.cache = new TtlCache(clock, PERSON_TTL_MS, 20_000);
  }

  async get(
    db: Kysely<Database>,
    models: ModelCache,
    workspaceId: string,
    profileId: string,
    offers: readonly LiveOffer[],
    context: Record<string, unknown>,
    now: number,
  ): Promise<DecisionPerson> {
    const computed = await this.cache.get(`${workspaceId}\u0000${profileId}`, () =>
      computedOf(db, models, workspaceId, profileId, now),
    );
    return loadPerson(db, models, workspaceId, profileId, offers, context, now, { computed });
  }

  forget(workspaceId: string, profileId: string): void {
    this.cache.delete(`${workspaceId}\u0000${profileId}`);
  }
}
