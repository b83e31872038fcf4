import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { EventsTable, StoreKind, Tx } from '../store/index.js';
import { applyEvent, type ProfileFacts } from './computed/index.js';
import { decodeFacts } from './profile-reads.js';
import { refoldFacts } from './refold.js';
import type { LoggedEvent } from './stored-event.js';

export interface DerivedEvent {
  /** A track event by name, or an identify that sets traits (journey profile updates). */
  type?: 'track' | 'identify';
  event: string;
  properties: Record<string, unknown>;
  traits?: Record<string, unknown>;
  timestamp: number;
}

/**
 * Appends events Rapport itself observes about a person (`Segment Entered`, message
 * deliveries, ...) to their log, already attributed, and folds them into their facts in
 * the same transaction — so a rebuild from the log gives the same facts as this did.
 */
export async function appendDerivedEvents(
  tx: Tx,
  kind: StoreKind,
  workspaceId: string,
  profileId: string,
  events: readonly DerivedEvent[],
  now: number,
): Promise<Appended> {
  const out = await appendDerivedEventsMany(tx, kind, workspaceId, [{ profileId, events }], now);
  return out.get(profileId)!;
}

export interface Appended {
  logged: LoggedEvent[];
  /** The person's facts afterwards; null when nothing was appended or no such profile. */
  facts: ProfileFacts | null;
}

/** Rows per multi-row statement: 13 parameters each stays far below SQLite's limit. */
const CHUNK = 200;

/**
 * `appendDerivedEvents` for many people at once, with a few statements per chunk of
 * people rather than several per person (a back-fill appends a million of these; on
 * PostgreSQL each statement is a round trip).
 */
export async function appendDerivedEventsMany(
  tx: Tx,
  kind: StoreKind,
  workspaceId: string,
  batch: readonly { profileId: string; events: readonly DerivedEvent[] }[],
  now: number,
): Promise<Map<string, Appended>> {
  const out = new Map<string, Appended>();
  const todo = batch.filter((b) => b.events.length > 0);
  for (const b of batch)
    if (b.events.length === 0) out.set(b.profileId, { logged: [], facts: null });
  for (let i = 0; i < todo.length; i += CHUNK) {
    const part = todo.slice(i, i + CHUNK);
    const who = await identitiesOf(
      tx,
      workspaceId,
      part.map((b) => b.profileId),
    );
    const rows: (Insertable<EventsTable> & { message_id: string })[] = [];
    const logged = new Map<string, LoggedEvent[]>();
    const byMessage = new Map<string, LoggedEvent>();
    for (const { profileId, events } of part) {
      const { userId, anonymousId } = who.get(profileId) ?? { userId: null, anonymousId: null };
      const list: LoggedEvent[] = [];
      for (const e of events) {
        const messageId = `rapport:${randomUUID()}`;
        const type = e.type ?? 'track';
        const payload = {
          type,
          ...(type === 'track' ? { event: e.event } : {}),
          messageId,
          ...(userId !== null ? { userId } : {}),
          ...(anonymousId !== null ? { anonymousId } : {}),
          timestamp: new Date(e.timestamp).toISOString(),
          ...(type === 'track' ? { properties: e.properties } : { traits: e.traits ?? {} }),
        };
        rows.push({
          workspace_id: workspaceId,
          message_id: messageId,
          type,
          event: type === 'track' ? e.event : null,
          user_id: userId,
          anonymous_id: anonymousId,
          previous_id: null,
          group_id: null,
          timestamp: e.timestamp,
          received_at: now,
          sent_at: null,
          raw: JSON.stringify(payload),
          profile_id: profileId,
        });
        const event: LoggedEvent = {
          id: 0,
          workspaceId,
          messageId,
          type,
          event: type === 'track' ? e.event : null,
          timestamp: e.timestamp,
          receivedAt: now,
          userId,
          anonymousId,
          previousId: null,
          properties: type === 'track' ? e.properties : {},
          traits: type === 'identify' ? (e.traits ?? {}) : {},
          context: {},
        };
        list.push(event);
        byMessage.set(messageId, event);
      }
      logged.set(profileId, list);
    }
    for (let r = 0; r < rows.length; r += CHUNK) {
      // Ids are matched by message id: RETURNING does not promise the order of VALUES.
      const inserted = await tx
        .insertInto('events')
        .values(rows.slice(r, r + CHUNK))
        .returning(['id', 'message_id'])
        .execute();
      for (const row of inserted) byMessage.get(row.message_id)!.id = row.id;
    }

    let q = tx
      .selectFrom('profiles')
      .select(['id', 'facts'])
      .where(
        'id',
        'in',
        part.map((b) => b.profileId),
      )
      .orderBy('id');
    if (kind === 'postgres') q = q.forUpdate();
    const current = new Map((await q.execute()).map((r) => [r.id, r.facts]));
    const decoded = new Map<string, ProfileFacts>();
    const unreadable: string[] = [];
    for (const [id, text] of current) {
      const d = decodeFacts(text);
      if (d.kind === 'ok') decoded.set(id, d.value);
      else unreadable.push(id);
    }
    // Facts that did not decode are re-derived from the log, which already holds the
    // events appended above: they are in the refold, not applied again.
    const refolded = await refoldFacts(tx, workspaceId, unreadable);
    for (const { profileId } of part) {
      const list = logged.get(profileId)!;
      if (!current.has(profileId)) {
        out.set(profileId, { logged: list, facts: null });
        continue;
      }
      let facts = decoded.get(profileId);
      if (facts) for (const e of list) facts = applyEvent(facts, e);
      else facts = refolded.get(profileId)!.facts;
      await tx
        .updateTable('profiles')
        .set({ facts: JSON.stringify(facts), updated_at: now })
        .where('id', '=', profileId)
        .execute();
      out.set(profileId, { logged: list, facts });
    }
  }
  return out;
}

/**
 * Who each person is in the events appended for them, as in their own events: their
 * first user id, else their first anonymous id.
 */
async function identitiesOf(
  tx: Tx,
  workspaceId: string,
  profileIds: readonly string[],
): Promise<Map<string, { userId: string | null; anonymousId: string | null }>> {
  const rows = await tx
    .selectFrom('identities')
    .select(['profile_id', 'kind', 'value'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', 'in', profileIds)
    .where('kind', 'in', ['user_id', 'anonymous_id'])
    .orderBy('kind', 'desc')
    .orderBy('created_at')
    .execute();
  const out = new Map<string, { userId: string | null; anonymousId: string | null }>();
  for (const r of rows) {
    const who = out.get(r.profile_id);
    if (!who) {
      // user_id sorts before anonymous_id: a person with a user id shows it first.
      out.set(
        r.profile_id,
        r.kind === 'user_id'
          ? { userId: r.value, anonymousId: null }
          : { userId: null, anonymousId: r.value },
      );
    }
  }
  return out;
}
