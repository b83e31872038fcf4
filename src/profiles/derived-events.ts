import { randomUUID } from 'node:crypto';
import type { StoreKind, Tx } from '../store/index.js';
import { applyEvent, type ProfileFacts } from './computed/index.js';
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
): Promise<{ logged: LoggedEvent[]; facts: ProfileFacts | null }> {
  if (events.length === 0) return { logged: [], facts: null };
  const ids = await tx
    .selectFrom('identities')
    .select(['kind', 'value'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .where('kind', 'in', ['user_id', 'anonymous_id'])
    .orderBy('kind', 'desc')
    .orderBy('created_at')
    .execute();
  const userId = ids.find((i) => i.kind === 'user_id')?.value ?? null;
  const anonymousId = userId === null ? (ids[0]?.value ?? null) : null;
  const logged: LoggedEvent[] = [];
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
    const row = await tx
      .insertInto('events')
      .values({
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
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    logged.push({
      id: row.id,
      workspaceId,
      messageId,
      type,
      event: type === 'track' ? e.event : null,
      timestamp: e.timestamp,
      userId,
      anonymousId,
      previousId: null,
      properties: type === 'track' ? e.properties : {},
      traits: type === 'identify' ? (e.traits ?? {}) : {},
      context: {},
    });
  }
  let q = tx.selectFrom('profiles').select('facts').where('id', '=', profileId);
  if (kind === 'postgres') q = q.forUpdate();
  const current = await q.executeTakeFirst();
  if (!current) return { logged, facts: null };
  let facts = JSON.parse(current.facts) as ProfileFacts;
  for (const e of logged) facts = applyEvent(facts, e);
  await tx
    .updateTable('profiles')
    .set({ facts: JSON.stringify(facts), updated_at: now })
    .where('id', '=', profileId)
    .execute();
  return { logged, facts };
}
