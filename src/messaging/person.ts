import type { Kysely } from 'kysely';
import {
  deriveTraits,
  identitiesByKind,
  liveProfileId,
  loadFacts,
  type ComputedTraits,
  type ModelCache,
} from '../profiles/index.js';
import type { Consents } from '../privacy/index.js';
import type { Database } from '../store/index.js';
import { loadConsents } from './consent-store.js';

/** What sending to one person needs to know about them. */
export interface Recipient {
  profileId: string;
  traits: Record<string, unknown>;
  computed: Omit<ComputedTraits, 'traits'>;
  identities: Record<string, string[]>;
  consents: Consents;
  timezone: string | null;
  email: string | undefined;
}

/** Loads a person (following merges) for delivery; null when they no longer exist. */
export async function loadRecipient(
  db: Kysely<Database>,
  models: ModelCache,
  workspaceId: string,
  profileId: string,
  now: number,
): Promise<Recipient | null> {
  const live = await liveProfileId(db, workspaceId, profileId);
  if (!live) return null;
  const stored = await loadFacts(db, live);
  if (!stored) return null;
  const model = await models.get(workspaceId);
  const { traits, ...computed } = deriveTraits(stored.facts, now, model);
  const identities = await identitiesByKind(db, workspaceId, live);
  const stated =
    typeof traits.email === 'string' && traits.email.includes('@') ? traits.email : undefined;
  return {
    profileId: live,
    traits,
    computed,
    identities,
    consents: await loadConsents(db, workspaceId, live),
    timezone: computed.timezone,
    email: stated ?? identities.email?.[0],
  };
}
