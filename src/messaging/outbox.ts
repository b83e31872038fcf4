import type { Kysely } from 'kysely';
import { decodeJson, newId } from '../shared/index.js';
import type { Database, Tx } from '../store/index.js';
import {
  MessageOut,
  type MessagePage,
  type MessageQuery,
  type MessageStatus,
  type OutgoingMessage,
} from './message.js';
import { encodeOutboxPayload } from './outbox-payload.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Writes messages into the outbox in the caller's transaction (the journey step's), so a
 * step and what it sends commit together. A message whose idempotency key exists is
 * ignored: replaying a step after a crash never queues a second copy.
 * @returns the keys that were new.
 */
export async function enqueueMessages(
  tx: Tx,
  messages: readonly OutgoingMessage[],
  now: number,
): Promise<string[]> {
  const fresh: string[] = [];
  for (const m of messages) {
    const id = newId('msg');
    const status = m.status ?? 'queued';
    const res = await tx
      .insertInto('messages')
      .values({
        id,
        workspace_id: m.workspaceId,
        profile_id: m.profileId,
        journey_id: m.journeyId,
        run_id: m.runId,
        step_id: m.stepId,
        idempotency_key: m.idempotencyKey,
        channel: m.channel,
        kind: m.kind,
        topic: m.topic,
        priority: m.priority,
        status,
        reason: m.reason ?? null,
        payload: m.payload === undefined ? '{}' : encodeOutboxPayload(m),
        attempts: 0,
        next_attempt_at: status === 'queued' ? Math.max(now, m.notBefore ?? now) : null,
        locked_until: null,
        created_at: now,
        updated_at: now,
        sent_at: null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    fresh.push(m.idempotencyKey);
    await tx
      .insertInto('message_events')
      .values({ message_id: id, status, detail: m.reason ?? null, at: now })
      .execute();
  }
  return fresh;
}

export async function recordStatus(
  db: Kysely<Database>,
  messageId: string,
  status: MessageStatus,
  now: number,
  fields: {
    reason?: string | null;
    nextAttemptAt?: number | null;
    sentAt?: number | null;
    payload?: string;
  } = {},
): Promise<void> {
  await db
    .updateTable('messages')
    .set({
      status,
      updated_at: now,
      locked_until: null,
      ...(fields.reason !== undefined ? { reason: fields.reason } : {}),
      ...(fields.nextAttemptAt !== undefined ? { next_attempt_at: fields.nextAttemptAt } : {}),
      ...(fields.sentAt !== undefined ? { sent_at: fields.sentAt } : {}),
      ...(fields.payload !== undefined ? { payload: fields.payload } : {}),
    })
    .where('id', '=', messageId)
    .execute();
  await db
    .insertInto('message_events')
    .values({ message_id: messageId, status, detail: fields.reason ?? null, at: now })
    .execute();
}

/** Messages newest first, with their status history. */
export async function listMessages(
  db: Kysely<Database>,
  workspaceId: string,
  query: MessageQuery,
): Promise<MessagePage> {
  let q = db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId);
  if (query.profileId) q = q.where('profile_id', '=', query.profileId);
  if (query.journeyId) q = q.where('journey_id', '=', query.journeyId);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.cursor) {
    const [at, id] = query.cursor.split('~');
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', Number(at)),
        eb.and([eb('created_at', '=', Number(at)), eb('id', '<', id ?? '')]),
      ]),
    );
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const history = page.length
    ? await db
        .selectFrom('message_events')
        .selectAll()
        .where(
          'message_id',
          'in',
          page.map((p) => p.id),
        )
        .orderBy('id')
        .execute()
    : [];
  const messages: MessageOut[] = page.map((r) => ({
    id: r.id,
    profileId: r.profile_id,
    journeyId: r.journey_id,
    runId: r.run_id,
    stepId: r.step_id,
    idempotencyKey: r.idempotency_key,
    channel: r.channel,
    kind: r.kind,
    topic: r.topic,
    status: r.status as MessageStatus,
    reason: r.reason,
    attempts: r.attempts,
    // Shown as stored (after sending, with what was rendered); an unreadable one as {}
    // (the sender fails such a message with the reason).
    payload: shownPayload(r.payload),
    createdAt: iso(r.created_at),
    sentAt: r.sent_at === null ? null : iso(r.sent_at),
    history: history
      .filter((h) => h.message_id === r.id)
      .map((h) => ({ status: h.status, at: iso(h.at), detail: h.detail })),
  }));
  const last = page[page.length - 1];
  return {
    messages,
    nextCursor: rows.length > query.limit && last ? `${last.created_at}~${last.id}` : null,
  };
}

const ShownPayload = MessageOut.shape.payload;
function shownPayload(text: string): MessageOut['payload'] {
  const d = decodeJson(ShownPayload, text);
  return d.kind === 'ok' ? d.value : {};
}

/** How many of a journey's messages (or the workspace's, without one) are in each status. */
export async function messageCountsByStatus(
  db: Kysely<Database>,
  workspaceId: string,
  journeyId?: string,
): Promise<Record<string, number>> {
  let query = db
    .selectFrom('messages')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('workspace_id', '=', workspaceId);
  if (journeyId !== undefined) query = query.where('journey_id', '=', journeyId);
  const rows = await query.groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
