import type { Kysely } from 'kysely';
import {
  deriveTraits,
  liveProfileId,
  type ComputedTraits,
  type ModelCache,
  type ProfileFacts,
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
  const row = await db
    .selectFrom('profiles')
    .select('facts')
    .where('id', '=', live)
    .executeTakeFirst();
  if (!row) return null;
  const model = await models.get(workspaceId);
  const { traits, ...computed } = deriveTraits(JSON.parse(row.facts) as ProfileFacts, now, model);
  const ids = await db
    .selectFrom('identities')
    .select(['kind', 'value'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', live)
    .orderBy('created_at')
    .execute();
  const identities: Record<string, string[]> = {};
  for (const i of ids) (identities[i.kind] ??= []).push(i.value);
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
