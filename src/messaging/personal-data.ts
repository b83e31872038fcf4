import type { Kysely } from 'kysely';
import { normalizeAddress, type ConsentChannel } from '../privacy/index.js';
import { decodeJson, type PersonRef, type Removed } from '../shared/index.js';
import { forgetSubjects, recordChanges, type Database } from '../store/index.js';
import type { IdentifierHasher } from '../workspaces/index.js';
import { z } from 'zod';
import { addressConsents, emailSubject, erasedAddressKey, storedAddress } from './consent-store.js';

const profileSubjects = (p: PersonRef) => p.profileIds.map((id) => `profile:${id}`);
// With encryption on, addresses are stored as their blind index: match what is stored.
const emailSubjects = (db: Kysely<Database>, p: PersonRef) =>
  p.emails.map((e) => emailSubject(db, e));
const storedEmails = (db: Kysely<Database>, p: PersonRef) =>
  p.emails.map((e) => storedAddress(db, 'email', e).stored);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const json = (text: string): unknown => {
  const d = decodeJson(z.unknown(), text);
  return d.kind === 'ok' ? d.value : text;
};

async function pushEndpoints(db: Kysely<Database>, p: PersonRef): Promise<string[]> {
  const rows = await db
    .selectFrom('push_subscriptions')
    .select('endpoint')
    .where('workspace_id', '=', p.workspaceId)
    .where('profile_id', 'in', p.profileIds)
    .execute();
  return rows.map((r) => r.endpoint);
}

/**
 * Messages (with what was rendered and sent, and their delivery history), consent history
 * (every statement by or about the person and their addresses), suppressions of their
 * addresses and push subscriptions.
 */
export async function exportPersonMessaging(
  db: Kysely<Database>,
  person: PersonRef,
): Promise<Record<string, unknown>> {
  const ws = person.workspaceId;
  const messages = await db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('profile_id', 'in', person.profileIds)
    .orderBy('created_at')
    .execute();
  const events =
    messages.length === 0
      ? []
      : await db
          .selectFrom('message_events')
          .selectAll()
          .where(
            'message_id',
            'in',
            messages.map((m) => m.id),
          )
          .orderBy('id')
          .execute();
  const statements = await db
    .selectFrom('consent_statements')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where((eb) =>
      eb.or([
        eb('subject', 'in', [...profileSubjects(person), ...emailSubjects(db, person), '']),
        eb('origin_profile_id', 'in', person.profileIds),
      ]),
    )
    .orderBy('id')
    .execute();
  const consents = await db
    .selectFrom('consents')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('profile_id', 'in', person.profileIds)
    .execute();
  const endpoints = await pushEndpoints(db, person);
  const suppressions = await db
    .selectFrom('suppressions')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('address', 'in', [...storedEmails(db, person), ...endpoints, ''])
    .execute();
  const subscriptions = await db
    .selectFrom('push_subscriptions')
    .select(['id', 'endpoint', 'created_at'])
    .where('workspace_id', '=', ws)
    .where('profile_id', 'in', person.profileIds)
    .execute();
  return {
    messages: messages.map((m) => ({
      id: m.id,
      journeyId: m.journey_id,
      channel: m.channel,
      kind: m.kind,
      topic: m.topic,
      status: m.status,
      reason: m.reason,
      createdAt: iso(m.created_at),
      sentAt: iso(m.sent_at),
      content: json(m.payload),
      history: events
        .filter((e) => e.message_id === m.id)
        .map((e) => ({ status: e.status, detail: e.detail, at: iso(e.at) })),
    })),
    consents: consents.map((c) => ({ profileId: c.profile_id, consents: json(c.consents) })),
    consentHistory: statements.map((s) => ({
      subject: s.subject,
      target: s.target,
      state: s.state,
      source: s.source,
      at: iso(s.at),
      recordedAt: iso(s.recorded_at),
    })),
    suppressions: suppressions.map((s) => ({
      channel: s.channel,
      address: s.address,
      reason: s.reason,
      at: iso(s.at),
    })),
    pushSubscriptions: subscriptions.map((s) => ({
      id: s.id,
      endpoint: s.endpoint,
      createdAt: iso(s.created_at),
    })),
  };
}

/** Deletes up to `limit` of the person's messages (queued, sent, failed) and their history. */
export async function erasePersonMessages(
  db: Kysely<Database>,
  person: PersonRef,
  limit: number,
): Promise<Removed> {
  const ids = (
    await db
      .selectFrom('messages')
      .select('id')
      .where('workspace_id', '=', person.workspaceId)
      .where('profile_id', 'in', person.profileIds)
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return {};
  const events = await db
    .deleteFrom('message_events')
    .where('message_id', 'in', ids)
    .executeTakeFirst();
  await db.deleteFrom('messages').where('id', 'in', ids).execute();
  return { messages: ids.length, message_events: Number(events.numDeletedRows) };
}

/**
 * Deletes the person's consent history, consents, push subscriptions and suppressions.
 * A "no" must outlive them, or an address re-entered later would be mailed again: an
 * address that was suppressed or said no to e-mail keeps a suppression under the salted
 * hash of the address (`erasedAddressKey`), which the sender checks like any other.
 */
export async function erasePersonConsent(
  db: Kysely<Database>,
  person: PersonRef,
  hash: IdentifierHasher,
  now: number,
): Promise<Removed> {
  const ws = person.workspaceId;
  let kept = 0;
  const endpoints = await pushEndpoints(db, person);
  for (const raw of person.emails) {
    const email = normalizeAddress('email', raw) ?? raw;
    const said = await addressConsents(db, ws, email);
    const suppressed = await db
      .selectFrom('suppressions')
      .select('reason')
      .where('workspace_id', '=', ws)
      .where('channel', '=', 'email')
      .where('address', '=', storedAddress(db, 'email', email).stored)
      .executeTakeFirst();
    const denied = said.channels.email?.state === 'denied';
    if (!denied && !suppressed) continue;
    const r = await db
      .insertInto('suppressions')
      .values({
        workspace_id: ws,
        channel: 'email' satisfies ConsentChannel,
        address: erasedAddressKey(hash, 'email', email),
        reason: `erased person: ${suppressed ? suppressed.reason : 'unsubscribed'}`,
        at: now,
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'channel', 'address']).doNothing())
      .executeTakeFirst();
    kept += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  const addresses = [...storedEmails(db, person), ...endpoints];
  const suppressions =
    addresses.length === 0
      ? 0
      : Number(
          (
            await db
              .deleteFrom('suppressions')
              .where('workspace_id', '=', ws)
              .where('address', 'in', addresses)
              .executeTakeFirst()
          ).numDeletedRows,
        );
  const statements = await db
    .deleteFrom('consent_statements')
    .where('workspace_id', '=', ws)
    .where((eb) =>
      eb.or([
        eb('subject', 'in', [...profileSubjects(person), ...emailSubjects(db, person), '']),
        eb('origin_profile_id', 'in', person.profileIds),
      ]),
    )
    .executeTakeFirst();
  const consents = await db
    .deleteFrom('consents')
    .where('workspace_id', '=', ws)
    .where('profile_id', 'in', person.profileIds)
    .executeTakeFirst();
  // Every process drops the workspace's cached consents (the change names no one, so the
  // log keeps no trace of the person), and earlier changes naming them go.
  await forgetSubjects(db, ws, person.profileIds);
  await recordChanges(db, [{ workspaceId: ws, topic: 'consent', subject: '' }], now);
  const subscriptions = await db
    .deleteFrom('push_subscriptions')
    .where('workspace_id', '=', ws)
    .where('profile_id', 'in', person.profileIds)
    .executeTakeFirst();
  return {
    suppressions: suppressions + kept,
    consent_statements: Number(statements.numDeletedRows),
    consents: Number(consents.numDeletedRows),
    push_subscriptions: Number(subscriptions.numDeletedRows),
  };
}

/** Retention: deletes up to `limit` finished messages created before `before`. */
export async function deleteMessagesBefore(
  db: Kysely<Database>,
  workspaceId: string,
  before: number,
  limit: number,
): Promise<number> {
  const ids = (
    await db
      .selectFrom('messages')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('created_at', '<', before)
      // A message still queued is work in progress, not a record: it stays until done.
      .where('next_attempt_at', 'is', null)
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return 0;
  await db.deleteFrom('message_events').where('message_id', 'in', ids).execute();
  await db.deleteFrom('messages').where('id', 'in', ids).execute();
  return ids.length;
}
