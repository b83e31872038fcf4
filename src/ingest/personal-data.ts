import { sql, type Kysely } from 'kysely';
import { identifierValues, type PersonRef, type Removed } from '../shared/index.js';
import type { Database } from '../store/index.js';

/** The person's events: attributed to one of their profiles, or naming one of their ids. */
function personEvents(db: Kysely<Database>, person: PersonRef) {
  const values = identifierValues(person);
  return db
    .selectFrom('events')
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

/** `%value%` for LIKE, the value's own wildcards escaped; as it appears in JSON text. */
function containing(value: string): string {
  const inJson = JSON.stringify(value).slice(1, -1);
  return `%${inJson.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Refused events naming the person: they have no identity columns (they were refused
 * before any was read), so the raw text is searched for each identifier.
 */
function personRejected(db: Kysely<Database>, person: PersonRef) {
  const values = identifierValues(person);
  return db
    .selectFrom('rejected_events')
    .where('workspace_id', '=', person.workspaceId)
    .where((eb) =>
      eb.or(values.map((v) => sql<boolean>`${sql.ref('raw')} LIKE ${containing(v)} ESCAPE '\\'`)),
    );
}

const iso = (ms: number) => new Date(ms).toISOString();

function parsed(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Every event of the person, oldest first, and the refused events naming them. */
export async function exportPersonEvents(
  db: Kysely<Database>,
  person: PersonRef,
): Promise<Record<string, unknown>> {
  const events = await personEvents(db, person).selectAll().orderBy('id').execute();
  const rejected =
    identifierValues(person).length === 0
      ? []
      : await personRejected(db, person).selectAll().orderBy('id').execute();
  return {
    events: events.map((e) => ({
      id: e.id,
      messageId: e.message_id,
      type: e.type,
      event: e.event,
      timestamp: iso(e.timestamp),
      receivedAt: iso(e.received_at),
      pending: e.profile_id === null,
      raw: parsed(e.raw),
    })),
    rejectedEvents: rejected.map((r) => ({
      id: r.id,
      receivedAt: iso(r.received_at),
      details: parsed(r.details),
      raw: r.raw,
    })),
  };
}

/** Deletes up to `limit` of the person's events (folded or still pending). */
export async function erasePersonEvents(
  db: Kysely<Database>,
  person: PersonRef,
  limit: number,
): Promise<Removed> {
  const ids = (await personEvents(db, person).select('id').limit(limit).execute()).map((r) => r.id);
  if (ids.length === 0) return {};
  await db.deleteFrom('events').where('id', 'in', ids).execute();
  return { events: ids.length };
}

/** Deletes up to `limit` refused events whose text names the person. */
export async function erasePersonRejected(
  db: Kysely<Database>,
  person: PersonRef,
  limit: number,
): Promise<Removed> {
  if (identifierValues(person).length === 0) return {};
  const ids = (await personRejected(db, person).select('id').limit(limit).execute()).map(
    (r) => r.id,
  );
  if (ids.length === 0) return {};
  await db.deleteFrom('rejected_events').where('id', 'in', ids).execute();
  return { rejected_events: ids.length };
}

/**
 * Retention: deletes up to `limit` of a workspace's events received before `before`.
 * Oldest first by id (ids follow arrival), so the scan stops soon after the cut.
 */
export async function deleteEventsBefore(
  db: Kysely<Database>,
  workspaceId: string,
  before: number,
  limit: number,
): Promise<number> {
  const ids = (
    await db
      .selectFrom('events')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('received_at', '<', before)
      // A pending event is deleted only once processed: its facts must be folded first.
      .where('profile_id', 'is not', null)
      .orderBy('id')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return 0;
  await db.deleteFrom('events').where('id', 'in', ids).execute();
  return ids.length;
}

/** Retention: deletes up to `limit` refused events received before `before`. */
export async function deleteRejectedBefore(
  db: Kysely<Database>,
  workspaceId: string,
  before: number,
  limit: number,
): Promise<number> {
  const ids = (
    await db
      .selectFrom('rejected_events')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('received_at', '<', before)
      .orderBy('id')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return 0;
  await db.deleteFrom('rejected_events').where('id', 'in', ids).execute();
  return ids.length;
}
