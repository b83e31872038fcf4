import type { Kysely } from 'kysely';
import { groupBy, type Decoded } from '../shared/index.js';
import type { Database } from '../store/index.js';
import type { ProfileFacts } from './computed/index.js';
import { factsShapeProblem } from './computed/facts-shape.js';
import { clearValue } from './identity/stored-value.js';
import { refoldFacts } from './refold.js';
import { toLoggedEvent, type LoggedEvent } from './stored-event.js';

/**
 * Reads of the tables this module owns (`profiles`, `identities`, and the log's events
 * once attributed to a person) for the modules above it: segments, journeys and
 * messaging ask here instead of querying them.
 */

/** Ids per statement: far below both stores' parameter limits. */
const CHUNK = 500;

/**
 * Decodes stored facts: JSON text checked for the shape of `ProfileFacts` by a cheap
 * typed decoder (see `factsShapeProblem`; the full schema would cost more than the fold
 * on the hot paths that page through every person). Never throws.
 */
export function decodeFacts(text: string): Decoded<ProfileFacts> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'corrupt', problem: `not JSON (${String(error)})` };
  }
  const problem = factsShapeProblem(value);
  if (problem !== null) return { kind: 'corrupt', problem };
  // Cast: factsShapeProblem just checked the shape, field by field.
  return { kind: 'ok', value: value as ProfileFacts };
}

/** A profile row's facts, and the problem when they did not decode and were refolded. */
export interface ReadFacts {
  facts: ProfileFacts;
  unreadable?: string;
}

/**
 * The facts of profile rows. Facts are a fold of the person's events, so a row whose
 * facts do not decode gets them re-derived from the log (`refoldFacts`): a corrupt row
 * costs a refold, never a failed batch. Reads do not write the result back; the profile
 * stage does when the person next has an event, and `rapport profiles rebuild` lists and
 * repairs them all.
 */
export async function readFactsOf(
  db: Kysely<Database>,
  rows: readonly { id: string; workspace_id: string; facts: string }[],
): Promise<Map<string, ReadFacts>> {
  const out = new Map<string, ReadFacts>();
  const unreadable = new Map<string, { workspaceId: string; problem: string }>();
  for (const r of rows) {
    const d = decodeFacts(r.facts);
    if (d.kind === 'ok') out.set(r.id, { facts: d.value });
    else unreadable.set(r.id, { workspaceId: r.workspace_id, problem: d.problem });
  }
  for (const [workspaceId, ids] of groupBy([...unreadable], ([, u]) => u.workspaceId)) {
    const refolded = await refoldFacts(
      db,
      workspaceId,
      ids.map(([id]) => id),
    );
    for (const [id, u] of ids)
      out.set(id, { facts: refolded.get(id)!.facts, unreadable: u.problem });
  }
  return out;
}

export interface LiveProfile {
  id: string;
  facts: ProfileFacts;
  /** Set when the stored facts did not decode and were re-derived from the log. */
  unreadable?: string;
}

/**
 * One page of a workspace's live (not merged-away) profiles, in id order after `after`
 * (`''` for the first page). Callers that hold a transaction per page pass its handle.
 */
export async function liveProfilePage(
  db: Kysely<Database>,
  workspaceId: string,
  after: string,
  limit: number,
): Promise<LiveProfile[]> {
  const rows = await db
    .selectFrom('profiles')
    .select(['id', 'workspace_id', 'facts'])
    .where('workspace_id', '=', workspaceId)
    .where('merged_into', 'is', null)
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
  const facts = await readFactsOf(db, rows);
  return rows.map((r) => ({ id: r.id, ...facts.get(r.id)! }));
}

/** Every live profile of a workspace, a page at a time. */
export async function* eachLiveProfilePage(
  db: Kysely<Database>,
  workspaceId: string,
  pageSize: number,
): AsyncGenerator<LiveProfile[]> {
  let after = '';
  for (;;) {
    const page = await liveProfilePage(db, workspaceId, after, pageSize);
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.id;
  }
}

/**
 * The facts of these profiles, by id; merged-away ones are left out. `lock` takes their
 * row locks (PostgreSQL, inside a transaction) so concurrent workers serialize per person.
 */
export async function liveFactsOf(
  db: Kysely<Database>,
  ids: readonly string[],
  options: { lock?: boolean } = {},
): Promise<Map<string, ProfileFacts>> {
  const out = new Map<string, ProfileFacts>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    let q = db
      .selectFrom('profiles')
      .select(['id', 'workspace_id', 'facts'])
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .where('merged_into', 'is', null);
    if (options.lock) q = q.forUpdate();
    for (const [id, read] of await readFactsOf(db, await q.execute())) out.set(id, read.facts);
  }
  return out;
}

export interface IdentityRef {
  kind: string;
  value: string;
}

/** Each person's identifiers, oldest first. */
export async function identitiesOf(
  db: Kysely<Database>,
  workspaceId: string,
  profileIds: readonly string[],
): Promise<Map<string, IdentityRef[]>> {
  const out = new Map<string, IdentityRef[]>(profileIds.map((id) => [id, []]));
  for (let i = 0; i < profileIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('identities')
      .select(['profile_id', 'kind', 'value', 'sealed_value'])
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', profileIds.slice(i, i + CHUNK))
      .orderBy('created_at')
      .execute();
    for (const r of rows) out.get(r.profile_id)?.push({ kind: r.kind, value: clearValue(r) });
  }
  return out;
}

/** One person's identifiers grouped by kind: `{ user_id: ['u1'], email: ['a@x.test'] }`. */
export async function identitiesByKind(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const i of (await identitiesOf(db, workspaceId, [profileId])).get(profileId) ?? []) {
    (out[i.kind] ??= []).push(i.value);
  }
  return out;
}

export interface PersonEventsQuery {
  /** Only events with these names (track event or page/screen name). */
  names?: readonly string[];
  /** Only events after this time. */
  after?: number;
  /** Only events at or before this time. */
  until?: number;
}

/** The logged events of these people, in time order, by person. */
export async function eventsOfPeople(
  db: Kysely<Database>,
  profileIds: readonly string[],
  query: PersonEventsQuery = {},
): Promise<Map<string, LoggedEvent[]>> {
  const out = new Map<string, LoggedEvent[]>();
  if (query.names?.length === 0) return out;
  for (let i = 0; i < profileIds.length; i += CHUNK) {
    let q = db
      .selectFrom('events')
      .selectAll()
      .where('profile_id', 'in', profileIds.slice(i, i + CHUNK));
    if (query.names) q = q.where('event', 'in', [...query.names]);
    if (query.after !== undefined) q = q.where('timestamp', '>', query.after);
    if (query.until !== undefined) q = q.where('timestamp', '<=', query.until);
    for (const row of await q.orderBy('timestamp').execute()) {
      const list = out.get(row.profile_id!);
      if (list) list.push(toLoggedEvent(row));
      else out.set(row.profile_id!, [toLoggedEvent(row)]);
    }
  }
  return out;
}

/** Up to `limit` people with events in `[from, to]` (a journey simulation's population). */
export async function peopleActiveBetween(
  db: Kysely<Database>,
  workspaceId: string,
  from: number,
  to: number,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select('profile_id')
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .where('timestamp', '>=', from)
    .where('timestamp', '<=', to)
    .where('profile_id', 'is not', null)
    .where('profile_id', '!=', '')
    .limit(limit)
    .execute();
  return rows.map((r) => r.profile_id!);
}

/**
 * A workspace's attributed events with these names since `since` whose stored text
 * contains `text` (a cheap prefilter: the caller checks the exact field), with the person
 * each belongs to.
 */
export async function eventsMentioning(
  db: Kysely<Database>,
  workspaceId: string,
  names: readonly string[],
  since: number,
  text: string,
): Promise<{ profileId: string; event: LoggedEvent }[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('event', 'in', [...names])
    .where('timestamp', '>', since)
    .where('raw', 'like', `%${text.replace(/[%_\\]/g, '')}%`)
    .execute();
  return rows
    .filter((r) => r.profile_id !== null && r.profile_id !== '')
    .map((r) => ({ profileId: r.profile_id!, event: toLoggedEvent(r) }));
}

/**
 * The id up to which every event in the log has been through the profile stage (and so
 * carries the profile it belongs to): just below the oldest pending event, else the last.
 */
export async function processedThrough(db: Kysely<Database>): Promise<number> {
  const pending = await db
    .selectFrom('events')
    .select((eb) => eb.fn.min<number | string | null>('id').as('id'))
    .where('profile_id', 'is', null)
    .executeTakeFirst();
  if (pending?.id !== null && pending?.id !== undefined) return Number(pending.id) - 1;
  const last = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max<number | string | null>('id').as('id'))
    .executeTakeFirst();
  return Number(last?.id ?? 0);
}

/**
 * A page of a workspace's events with these names and `after < id <= through`, in log
 * order, with the person each belongs to (events attributed to no one are left out).
 * The next page starts after `lastId`.
 */
export async function attributedEventsPage(
  db: Kysely<Database>,
  workspaceId: string,
  names: readonly string[],
  after: number,
  through: number,
  limit: number,
): Promise<{ lastId: number | null; events: { profileId: string; event: LoggedEvent }[] }> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('event', 'in', [...names])
    .where('id', '>', after)
    .where('id', '<=', through)
    .orderBy('id')
    .limit(limit)
    .execute();
  return {
    lastId: rows.length === 0 ? null : rows[rows.length - 1]!.id,
    events: rows
      .filter((r) => r.profile_id !== null && r.profile_id !== '')
      .map((r) => ({ profileId: r.profile_id!, event: toLoggedEvent(r) })),
  };
}

/** How many live (not merged-away) profiles a workspace has: the base of its audiences. */
export async function countLiveProfiles(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<number> {
  const row = await db
    .selectFrom('profiles')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('merged_into', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
