import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { deriveTraits, type ProfileFacts, type WorkspaceModel } from './computed/index.js';
import { normalizeEmail, normalizePhone, type IdentityKind } from './identity/index.js';
import {
  NAME_SCAN_LIMIT,
  type ProfileKind,
  type ProfileList,
  type ProfileListQuery,
  type ProfileView,
} from './profile-view.js';
import { readFactsOf } from './profile-reads.js';
import { statedTraits } from './stated-traits.js';
import { nameMatches, personName } from './person-name.js';
import { clearValue, lookupValues } from './identity/stored-value.js';
import { toLoggedEvent } from './stored-event.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Follows merges to the live profile; null when unknown. */
export async function liveProfileId(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<string | null> {
  let current = id;
  for (let hops = 0; hops < 50; hops++) {
    const row = await db
      .selectFrom('profiles')
      .select(['id', 'merged_into'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', current)
      .executeTakeFirst();
    if (!row) return null;
    if (row.merged_into === null) return row.id;
    current = row.merged_into;
  }
  return null;
}

/** The profile a (kind, value) names; emails and phones are normalized first. */
export async function findProfileId(
  db: Kysely<Database>,
  workspaceId: string,
  kind: ProfileKind,
  value: string,
): Promise<string | null> {
  if (kind === 'profile_id') return liveProfileId(db, workspaceId, value);
  const normalized =
    kind === 'email' ? normalizeEmail(value) : kind === 'phone' ? normalizePhone(value) : value;
  if (normalized === null) return null;
  const row = await db
    .selectFrom('identities')
    .select('profile_id')
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', kind satisfies IdentityKind)
    .where('value', 'in', lookupValues(db, kind, normalized))
    .executeTakeFirst();
  return row ? liveProfileId(db, workspaceId, row.profile_id) : null;
}

export async function loadFacts(
  db: Kysely<Database>,
  profileId: string,
): Promise<{ facts: ProfileFacts; createdAt: number; updatedAt: number } | null> {
  const row = await db
    .selectFrom('profiles')
    .select(['id', 'workspace_id', 'facts', 'created_at', 'updated_at'])
    .where('id', '=', profileId)
    .executeTakeFirst();
  if (!row) return null;
  const read = (await readFactsOf(db, [row])).get(row.id)!;
  return { facts: read.facts, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Everything the API shows about one live profile. */
export async function profileView(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  model: WorkspaceModel,
  now: number,
  options: { recentEvents?: number; segments?: ProfileView['segments'] } = {},
): Promise<ProfileView | null> {
  const loaded = await loadFacts(db, profileId);
  if (!loaded) return null;
  const [ids, merged, events] = await Promise.all([
    db
      .selectFrom('identities')
      .select(['kind', 'value', 'sealed_value'])
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', '=', profileId)
      .orderBy('created_at')
      .orderBy('value')
      .execute(),
    db
      .selectFrom('profile_merges')
      .select('loser_id')
      .where('workspace_id', '=', workspaceId)
      .where('winner_id', '=', profileId)
      .where('undone_at', 'is', null)
      .execute(),
    db
      .selectFrom('events')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', '=', profileId)
      .orderBy('id', 'desc')
      .limit(options.recentEvents ?? 20)
      .execute(),
  ]);
  const computed = deriveTraits(loaded.facts, now, model);
  const { traits, ...rest } = computed;
  const identities: ProfileView['identities'] = {
    user_id: [],
    anonymous_id: [],
    email: [],
    phone: [],
  };
  for (const r of ids) identities[r.kind as IdentityKind].push(clearValue(r));
  return {
    id: profileId,
    identities,
    traits,
    computed: rest,
    segments: options.segments ?? [],
    mergedFrom: merged.map((m) => m.loser_id),
    createdAt: iso(loaded.createdAt),
    updatedAt: iso(loaded.updatedAt),
    recentEvents: events.map((row) => {
      const e = toLoggedEvent(row);
      return {
        id: e.id,
        messageId: e.messageId,
        type: e.type,
        event: e.event,
        timestamp: iso(e.timestamp),
        properties: e.type === 'identify' ? e.traits : e.properties,
      };
    }),
  };
}

/**
 * Live profiles by id; `q` finds people by any identifier (case-insensitive prefix),
 * which covers user ids, e-mail addresses, phone numbers and anonymous ids. With
 * encryption at rest, e-mails and phones are stored as a blind index that no prefix
 * matches: a whole address or number in `q` is then found through its index.
 */
export async function listProfiles(
  db: Kysely<Database>,
  workspaceId: string,
  query: ProfileListQuery,
): Promise<ProfileList> {
  if (query.name !== undefined) return searchByName(db, workspaceId, query.name, query);
  let q = db
    .selectFrom('profiles')
    .select(['profiles.id', 'profiles.updated_at'])
    .where('profiles.workspace_id', '=', workspaceId)
    .where('profiles.merged_into', 'is', null);
  if (query.cursor) q = q.where('profiles.id', '>', query.cursor);
  if (query.q) {
    const pattern = `${query.q.toLowerCase().replace(/[%_\\]/g, '')}%`;
    const exact = exactIndexValues(db, query.q);
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('identities')
          .select('identities.profile_id')
          .whereRef('identities.profile_id', '=', 'profiles.id')
          .where((w) =>
            w.or([
              w(sql<string>`lower(identities.value)`, 'like', pattern),
              ...(exact.length > 0 ? [w('identities.value', 'in', exact)] : []),
            ]),
          ),
      ),
    );
  }
  const rows = await q
    .orderBy('profiles.id')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  return {
    profiles: await summariesOf(db, workspaceId, page),
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
  };
}

/** The blind indexes a whole e-mail or phone in `q` is stored under (none without a key). */
function exactIndexValues(db: Kysely<Database>, q: string): string[] {
  const out: string[] = [];
  const email = normalizeEmail(q);
  if (email) out.push(...lookupValues(db, 'email', email).filter((v) => v !== email));
  const phone = normalizePhone(q);
  if (phone) out.push(...lookupValues(db, 'phone', phone).filter((v) => v !== phone));
  return out;
}

/** Each person of a page with their identifiers in clear. */
async function summariesOf(
  db: Kysely<Database>,
  workspaceId: string,
  page: readonly { id: string; updated_at: number; name?: string | null }[],
): Promise<ProfileList['profiles']> {
  const ids = page.length
    ? await db
        .selectFrom('identities')
        .select(['profile_id', 'kind', 'value', 'sealed_value'])
        .where('workspace_id', '=', workspaceId)
        .where(
          'profile_id',
          'in',
          page.map((p) => p.id),
        )
        .execute()
    : [];
  return page.map((p) => ({
    id: p.id,
    identities: ids
      .filter((i) => i.profile_id === p.id)
      .map((i) => ({ kind: i.kind, value: clearValue(i) })),
    updatedAt: iso(p.updated_at),
    ...(p.name === undefined ? {} : { name: p.name }),
  }));
}

/**
 * People whose name (stated traits) has words starting with each word of `name`. Names
 * live inside each profile's facts (sealed with encryption at rest), which no index
 * reaches, so one request reads at most NAME_SCAN_LIMIT people in id order from the
 * cursor; `nextCursor` continues the scan until it is null. Encrypted or not, the same
 * search works: facts are opened in memory and nothing is stored in clear for it.
 */
async function searchByName(
  db: Kysely<Database>,
  workspaceId: string,
  name: string,
  query: ProfileListQuery,
): Promise<ProfileList> {
  let q = db
    .selectFrom('profiles')
    .select(['id', 'workspace_id', 'facts', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .where('merged_into', 'is', null);
  if (query.cursor) q = q.where('id', '>', query.cursor);
  const rows = await q.orderBy('id').limit(NAME_SCAN_LIMIT).execute();
  const facts = await readFactsOf(db, rows);
  const found: { id: string; updated_at: number; name: string }[] = [];
  let scanned = 0;
  for (const row of rows) {
    scanned++;
    const f = facts.get(row.id);
    const full = f ? personName(statedTraits(f.facts).traits) : null;
    if (full && nameMatches(full, name)) {
      found.push({ id: row.id, updated_at: row.updated_at, name: full });
      if (found.length === query.limit) break;
    }
  }
  const stoppedEarly = scanned < rows.length;
  const more = stoppedEarly || rows.length === NAME_SCAN_LIMIT;
  return {
    profiles: await summariesOf(db, workspaceId, found),
    nextCursor: more && scanned > 0 ? rows[scanned - 1]!.id : null,
    scanned,
  };
}

/**
 * Every e-mail address a person may be reached at: the e-mail identities and the stated
 * `email` trait (which a message goes to even when the identity limit kept it out of the
 * graph), normalized. Pass the facts when the caller holds them.
 */
export async function emailAddressesOf(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  facts?: ProfileFacts,
): Promise<string[]> {
  const rows = await db
    .selectFrom('identities')
    .select(['value', 'sealed_value'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .where('kind', '=', 'email')
    .execute();
  const out = new Set(rows.map(clearValue));
  const known = facts ?? (await loadFacts(db, profileId))?.facts;
  const stated = known ? normalizeEmail(statedTraits(known).traits.email) : null;
  if (stated) out.add(stated);
  return [...out].sort();
}

/**
 * The identifier to attribute an event about this person to, as a client would send it:
 * the user id when known, else an anonymous id; null when the person has neither.
 */
export async function eventIdentityOf(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<{ userId: string } | { anonymousId: string } | null> {
  const ids = await db
    .selectFrom('identities')
    .select(['kind', 'value'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .where('kind', 'in', ['user_id', 'anonymous_id'])
    .orderBy('kind', 'desc')
    .execute();
  const id = ids[0];
  if (!id) return null;
  return id.kind === 'user_id' ? { userId: id.value } : { anonymousId: id.value };
}
