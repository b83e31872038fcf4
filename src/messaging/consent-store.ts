import type { Kysely } from 'kysely';
import {
  compareStatements,
  ConsentSource,
  ConsentState,
  Consents,
  emptyConsents,
  foldStatements,
  normalizeAddress,
  parseTargetName,
  targetName,
  type ConsentChange,
  type Suppression,
} from '../privacy/index.js';
import { emailAddressesOf, liveProfileId, type ProfileFacts } from '../profiles/index.js';
import { encryptionOf, recordChanges, type Database } from '../store/index.js';
import type { IdentifierHasher } from '../workspaces/index.js';

/** Whose statement it is: a person, or an address whoever holds it. */
const profileSubject = (profileId: string) => `profile:${profileId}`;
/** With encryption on, an address is named by its blind index: equality is all this needs. */
export const storedAddress = (db: Kysely<Database>, channel: string, address: string) => {
  const normalized = normalizeAddress(channel as 'email', address) ?? address;
  const keyring = encryptionOf(db);
  return { normalized, stored: keyring ? keyring.blindIndex(channel, normalized) : normalized };
};
export const emailSubject = (db: Kysely<Database>, address: string) =>
  `email:${storedAddress(db, 'email', address).stored}`;

interface StoredStatement extends ConsentChange {
  id: number;
}

/** A subject's statements, decoded; a row that does not decode (never written so) is skipped. */
async function statementsOf(
  db: Kysely<Database>,
  workspaceId: string,
  subject: string,
): Promise<StoredStatement[]> {
  const rows = await db
    .selectFrom('consent_statements')
    .select(['id', 'target', 'state', 'source', 'at'])
    .where('workspace_id', '=', workspaceId)
    .where('subject', '=', subject)
    .execute();
  const out: StoredStatement[] = [];
  for (const r of rows) {
    const target = parseTargetName(r.target);
    const state = ConsentState.safeParse(r.state);
    const source = ConsentSource.safeParse(r.source);
    if (target && state.success && source.success) {
      out.push({ id: r.id, target, state: state.data, source: source.data, at: r.at });
    }
  }
  return out;
}

/**
 * Appends statements to a subject's history. A statement that repeats the subject's
 * latest one about the same thing (an app sending `email_opt_in: true` with every
 * identify) moves that one's time forward instead of adding a row, so the history stays
 * short. That is exact: for any statements arriving later, at any time, the fold gives
 * what it would have given with both rows (a repeat of the last word changes nothing
 * between them that a later arrival could see).
 */
async function append(
  db: Kysely<Database>,
  workspaceId: string,
  subject: string,
  changes: readonly ConsentChange[],
  now: number,
  origin: string | null,
): Promise<void> {
  if (changes.length === 0) return;
  const latest = new Map<string, StoredStatement>();
  for (const s of await statementsOf(db, workspaceId, subject)) {
    const key = targetName(s.target);
    const current = latest.get(key);
    if (!current || compareStatements(current, s) < 0) latest.set(key, s);
  }
  for (const change of changes) {
    const key = targetName(change.target);
    const last = latest.get(key);
    const repeats =
      last !== undefined &&
      last.state === change.state &&
      last.source === change.source &&
      change.at >= last.at;
    if (repeats) {
      await db
        .updateTable('consent_statements')
        .set({ at: change.at, recorded_at: now })
        .where('id', '=', last.id)
        .execute();
      latest.set(key, { ...last, at: change.at });
      continue;
    }
    const inserted = await db
      .insertInto('consent_statements')
      .values({
        workspace_id: workspaceId,
        subject,
        target: key,
        state: change.state,
        source: change.source,
        at: change.at,
        recorded_at: now,
        origin_profile_id: origin,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const stored = { ...change, id: inserted.id };
    if (!last || compareStatements(last, stored) < 0) latest.set(key, stored);
  }
}

/** Folds a person's history into their consents and keeps the result for fast reads. */
async function refold(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  now: number,
): Promise<Consents> {
  const consents = foldStatements(await statementsOf(db, workspaceId, profileSubject(profileId)));
  const text = JSON.stringify(consents);
  await db
    .insertInto('consents')
    .values({ workspace_id: workspaceId, profile_id: profileId, consents: text, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'profile_id']).doUpdateSet({ consents: text, updated_at: now }),
    )
    .execute();
  await recordChanges(db, [{ workspaceId, topic: 'consent', subject: profileId }], now);
  return consents;
}

/** A person's consents; a profile merged since (an old link's) reads the survivor's. */
export async function loadConsents(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<Consents> {
  return (await consentsOfLive(db, workspaceId, profileId)).consents;
}

/** As `loadConsents`, with the profile whose consents they are (the survivor of a merge). */
export async function consentsOfLive(
  db: Kysely<Database>,
  workspaceId: string,
  asked: string,
): Promise<{ profileId: string; consents: Consents }> {
  const profileId = (await liveProfileId(db, workspaceId, asked)) ?? asked;
  return { profileId, consents: await consentsRow(db, workspaceId, profileId) };
}

async function consentsRow(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<Consents> {
  const row = await db
    .selectFrom('consents')
    .select('consents')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  if (!row) return emptyConsents();
  const parsed = Consents.safeParse(JSON.parse(row.consents));
  return parsed.success ? parsed.data : emptyConsents();
}

/**
 * Records what a person said and returns their consents. E-mail statements (the channel
 * and topics) are also statements about each of the person's e-mail addresses, so a "no"
 * holds for the address whichever profile later holds it (see `addressConsents`).
 * `facts` spares a read when the caller (the profile stage) holds them. A profile merged
 * since (the one an old unsubscribe link names) speaks for the survivor.
 */
export async function recordConsent(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  changes: readonly ConsentChange[],
  now: number,
  facts?: ProfileFacts,
): Promise<Consents> {
  const live = await liveProfileId(db, workspaceId, profileId);
  if (live !== null && live !== profileId) {
    return recordConsent(db, workspaceId, live, changes, now);
  }
  await append(db, workspaceId, profileSubject(profileId), changes, now, profileId);
  const aboutEmail = changes.filter(
    (c) =>
      c.target.kind === 'topic' || (c.target.kind === 'channel' && c.target.channel === 'email'),
  );
  if (aboutEmail.length > 0) {
    for (const address of await emailAddressesOf(db, workspaceId, profileId, facts)) {
      await append(db, workspaceId, emailSubject(db, address), aboutEmail, now, profileId);
    }
  }
  return refold(db, workspaceId, profileId, now);
}

/** What was said about an e-mail address, by every profile that held it. */
export async function addressConsents(
  db: Kysely<Database>,
  workspaceId: string,
  address: string,
): Promise<Consents> {
  return foldStatements(await statementsOf(db, workspaceId, emailSubject(db, address)));
}

/**
 * Profiles merged into another: their statements become the survivor's (each keeps the
 * profile that made it), and the survivor's consents are folded again.
 */
export async function mergeConsents(
  db: Kysely<Database>,
  workspaceId: string,
  winnerId: string,
  loserIds: readonly string[],
  now: number,
): Promise<void> {
  if (loserIds.length === 0) return;
  // Even with nothing to move: a cache may hold a merged profile's (empty) consents.
  await recordChanges(
    db,
    loserIds.map((id) => ({ workspaceId, topic: 'consent' as const, subject: id })),
    now,
  );
  const moved = await db
    .updateTable('consent_statements')
    .set({ subject: profileSubject(winnerId) })
    .where('workspace_id', '=', workspaceId)
    .where('subject', 'in', loserIds.map(profileSubject))
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) return;
  await db
    .deleteFrom('consents')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', [...loserIds])
    .execute();
  await refold(db, workspaceId, winnerId, now);
}

export async function suppress(
  db: Kysely<Database>,
  workspaceId: string,
  channel: string,
  address: string,
  reason: string,
  at: number,
): Promise<void> {
  await db
    .insertInto('suppressions')
    .values({
      workspace_id: workspaceId,
      channel,
      address: storedAddress(db, channel, address).stored,
      reason,
      at,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel', 'address']).doNothing())
    .execute();
}

/**
 * The suppressions covering an address, including the "no" an erased person left behind
 * (kept only as the salted hash of the address, see `erasedAddressKey`): `hash` is the
 * workspace's erasure hasher.
 */
export async function suppressionsFor(
  db: Kysely<Database>,
  workspaceId: string,
  channel: string,
  address: string | undefined,
  hash?: IdentifierHasher,
): Promise<Suppression[]> {
  if (!address) return [];
  const { normalized, stored } = storedAddress(db, channel, address);
  // An erased person's "no" is kept as a salted hash of the address (clear or sealed alike).
  const keys = hash ? [stored, erasedAddressKey(hash, channel, normalized)] : [stored];
  const rows = await db
    .selectFrom('suppressions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .where('address', 'in', keys)
    .execute();
  // The row matched the address asked about (its column may hold the blind index or the
  // erased hash): shown as the address asked about.
  return rows.map(
    (r) => ({ channel: r.channel, address: normalized, reason: r.reason, at: r.at }) as Suppression,
  );
}

/** How an erased person's suppressed address is kept: its salted hash, never the address. */
export function erasedAddressKey(hash: IdentifierHasher, channel: string, address: string): string {
  return `erased:${hash(channel, address)}`;
}
