import type { Kysely } from 'kysely';
import { decodeJson, identifierValues, type PersonRef, type Removed } from '../shared/index.js';
import type { Database } from '../store/index.js';
import type { IdentifierHasher } from '../workspaces/index.js';
import { ProfileFacts } from './computed/index.js';
import { findProfileId, emailAddressesOf } from './profile-repo.js';
import { clearValue } from './identity/stored-value.js';
import type { ProfileKind } from './profile-view.js';

/**
 * The person `kind`/`value` names, as export and erasure see them: the live profile and
 * every profile merged into it (at any depth), all their identifiers and e-mail addresses.
 */
export async function resolvePerson(
  db: Kysely<Database>,
  workspaceId: string,
  kind: ProfileKind,
  value: string,
): Promise<PersonRef | null> {
  const live = await findProfileId(db, workspaceId, kind, value);
  if (live === null) return null;
  const profileIds = [live];
  for (let i = 0; i < profileIds.length && profileIds.length < 10_000; i++) {
    const merged = await db
      .selectFrom('profiles')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('merged_into', '=', profileIds[i]!)
      .execute();
    for (const m of merged) if (!profileIds.includes(m.id)) profileIds.push(m.id);
  }
  const identities = await db
    .selectFrom('identities')
    .select(['kind', 'value', 'sealed_value'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', profileIds)
    .orderBy('created_at')
    .execute();
  const emails = new Set<string>();
  for (const id of profileIds)
    for (const e of await emailAddressesOf(db, workspaceId, id)) emails.add(e);
  return {
    workspaceId,
    profileIds,
    // With encryption on, e-mail and phone rows hold a blind index: the clear value is sealed.
    identifiers: identities.map((i) => ({ kind: i.kind, value: clearValue(i) })),
    emails: [...emails],
  };
}

/** The person's events in the log: attributed to one of their profiles, or naming them. */
export function personEventIds(db: Kysely<Database>, person: PersonRef) {
  const values = identifierValues(person);
  return db
    .selectFrom('events')
    .select('id')
    .where('workspace_id', '=', person.workspaceId)
    .where((eb) =>
      eb.or([
        eb('profile_id', 'in', person.profileIds),
        ...(values.length > 0
          ? [eb('user_id', 'in', values), eb('anonymous_id', 'in', values)]
          : []),
      ]),
    );
}

/** Profiles, identities, merges and quarantined events of the person (GDPR export). */
export async function exportPersonProfiles(
  db: Kysely<Database>,
  person: PersonRef,
): Promise<Record<string, unknown>> {
  const ws = person.workspaceId;
  const profiles = await db
    .selectFrom('profiles')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('id', 'in', person.profileIds)
    .execute();
  const merges = await db
    .selectFrom('profile_merges')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where((eb) =>
      eb.or([eb('winner_id', 'in', person.profileIds), eb('loser_id', 'in', person.profileIds)]),
    )
    .execute();
  const quarantined = await db
    .selectFrom('quarantined_events')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('event_id', 'in', personEventIds(db, person))
    .execute();
  return {
    identities: person.identifiers,
    profiles: profiles.map((p) => {
      const facts = decodeJson(ProfileFacts, p.facts);
      return {
        id: p.id,
        mergedInto: p.merged_into,
        facts: facts.kind === 'ok' ? facts.value : { unreadable: facts.problem },
        createdAt: new Date(p.created_at).toISOString(),
        updatedAt: new Date(p.updated_at).toISOString(),
      };
    }),
    merges,
    quarantinedEvents: quarantined,
  };
}

/** Removes the quarantine entries of the person's events (before the events go). */
export async function erasePersonQuarantine(
  db: Kysely<Database>,
  person: PersonRef,
  limit: number,
): Promise<Removed> {
  const ids = await db
    .selectFrom('quarantined_events')
    .select('event_id')
    .where('workspace_id', '=', person.workspaceId)
    .where('event_id', 'in', personEventIds(db, person))
    .limit(limit)
    .execute();
  if (ids.length === 0) return {};
  await db
    .deleteFrom('quarantined_events')
    .where(
      'event_id',
      'in',
      ids.map((r) => r.event_id),
    )
    .execute();
  return { quarantined_events: ids.length };
}

/** Removes the person's identities, merge records and profiles (last: others key on them). */
export async function erasePersonProfiles(
  db: Kysely<Database>,
  person: PersonRef,
): Promise<Removed> {
  const ws = person.workspaceId;
  const ids = person.profileIds;
  const identities = await db
    .deleteFrom('identities')
    .where('workspace_id', '=', ws)
    .where('profile_id', 'in', ids)
    .executeTakeFirst();
  const merges = await db
    .deleteFrom('profile_merges')
    .where('workspace_id', '=', ws)
    .where((eb) => eb.or([eb('winner_id', 'in', ids), eb('loser_id', 'in', ids)]))
    .executeTakeFirst();
  const profiles = await db
    .deleteFrom('profiles')
    .where('workspace_id', '=', ws)
    .where('id', 'in', ids)
    .executeTakeFirst();
  return {
    identities: Number(identities.numDeletedRows),
    profile_merges: Number(merges.numDeletedRows),
    profiles: Number(profiles.numDeletedRows),
  };
}

/** The hashes a tombstone keeps: each identifier, e-mails and phones as normalized. */
function tombstoneHashes(person: PersonRef, hash: IdentifierHasher): string[] {
  const out = new Set<string>();
  for (const i of person.identifiers) out.add(hash(i.kind, i.value));
  for (const e of person.emails) out.add(hash('email', e));
  return [...out];
}

/**
 * Writes the person's tombstone: later events naming any of these identifiers are
 * refused or anonymized by the profile stage (`privacy.afterErasure`). Idempotent.
 */
export async function writeTombstones(
  db: Kysely<Database>,
  person: PersonRef,
  hash: IdentifierHasher,
  now: number,
): Promise<Removed> {
  const hashes = tombstoneHashes(person, hash);
  if (hashes.length === 0) return {};
  const inserted = await db
    .insertInto('erasure_tombstones')
    .values(hashes.map((h) => ({ workspace_id: person.workspaceId, hash: h, created_at: now })))
    .onConflict((oc) => oc.columns(['workspace_id', 'hash']).doNothing())
    .executeTakeFirst();
  return { erasure_tombstones: Number(inserted.numInsertedOrUpdatedRows ?? 0) };
}

/** Which of these hashes are tombstones in the workspace. */
export async function tombstonedAmong(
  db: Kysely<Database>,
  workspaceId: string,
  hashes: readonly string[],
): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db
    .selectFrom('erasure_tombstones')
    .select('hash')
    .where('workspace_id', '=', workspaceId)
    .where('hash', 'in', [...new Set(hashes)])
    .execute();
  return new Set(rows.map((r) => r.hash));
}

/** Whether the workspace has any tombstone (most have none: the stage skips hashing). */
export async function hasTombstones(db: Kysely<Database>, workspaceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('erasure_tombstones')
    .select('hash')
    .where('workspace_id', '=', workspaceId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
