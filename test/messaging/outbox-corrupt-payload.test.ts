// A stored outbox payload is decoded through its kind's schema when the sender claims
// it. One that does not decode fails that message with the field at fault, and the rest
// of the batch is delivered as usual.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  enqueueMessages,
  listMessages,
  MessageQuery,
  OutboxSender,
} from '../../src/messaging/index.js';
import type { ClaimedMessage, Delivery } from '../../src/messaging/sender.js';
import { ManualClock } from '../../src/shared/clock.js';
import { withTransaction } from '../../src/store/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 10, 1, 12);

describe.each(STORE_KINDS)('outbox payloads that do not decode (%s)', (kind) => {
  let t: TestStore;
  const clock = new ManualClock(NOW);
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  /** A queued message row written directly, as a bug or a hand edit would leave it. */
  const insertRaw = (id: string, kind: string, payload: string, dueAt: number) =>
    t.store.db
      .insertInto('messages')
      .values({
        id,
        workspace_id: 'default',
        profile_id: 'prof_1',
        journey_id: null,
        run_id: null,
        step_id: null,
        idempotency_key: `key-${id}`,
        channel: 'webhook',
        kind,
        topic: null,
        priority: 1,
        status: 'queued',
        reason: null,
        payload,
        attempts: 0,
        next_attempt_at: dueAt,
        locked_until: null,
        created_at: dueAt,
        updated_at: dueAt,
        sent_at: null,
      })
      .execute();

  it('fails each unreadable message with its reason and still sends the next one', async () => {
    // Due first, so they are claimed in the same batch ahead of the good message.
    await insertRaw('msg_not_json', 'webhook', '{"url": "https://hooks.example.com', NOW - 3);
    await insertRaw('msg_no_url', 'webhook', '{"method":"POST","body":{"a":1}}', NOW - 2);
    await insertRaw('msg_bad_message', 'send', '{"message":"hello"}', NOW - 1);
    await insertRaw('msg_unknown_kind', 'campaign', '{}', NOW - 1);
    await withTransaction(t.store, (tx) =>
      enqueueMessages(
        tx,
        [
          {
            workspaceId: 'default',
            profileId: 'prof_1',
            journeyId: null,
            runId: null,
            stepId: null,
            idempotencyKey: 'good',
            channel: 'webhook',
            kind: 'webhook',
            topic: null,
            priority: 1,
            payload: { url: 'https://hooks.example.com/ok', method: 'PUT', body: { b: 2 } },
          },
        ],
        NOW,
      ),
    );
    const delivered: ClaimedMessage[] = [];
    const sender = new OutboxSender(t.store, clock, {
      webhook: (m): Promise<Delivery> => {
        delivered.push(m);
        return Promise.resolve({ kind: 'sent' });
      },
    });

    expect(await sender.step()).toBe(true);
    expect(await sender.step()).toBe(false);

    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({
      idempotencyKey: 'good',
      kind: 'webhook',
      payload: { url: 'https://hooks.example.com/ok', method: 'PUT', body: { b: 2 } },
    });
    const rows = await t.store.db
      .selectFrom('messages')
      .select(['id', 'idempotency_key', 'status', 'reason', 'next_attempt_at'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.idempotency_key, r.status, r.reason, r.next_attempt_at])).toEqual([
      [
        'key-msg_not_json',
        'failed',
        expect.stringMatching(/^unreadable payload: not JSON \(/),
        null,
      ],
      ['key-msg_no_url', 'failed', expect.stringMatching(/^unreadable payload: url: /), null],
      [
        'key-msg_bad_message',
        'failed',
        expect.stringMatching(/^unreadable payload: message: /),
        null,
      ],
      [
        'key-msg_unknown_kind',
        'failed',
        'unreadable payload: unknown message kind "campaign"',
        null,
      ],
      ['good', 'sent', null, null],
    ]);
    const history = await t.store.db
      .selectFrom('message_events')
      .select(['message_id', 'status'])
      .where('message_id', '=', 'msg_no_url')
      .execute();
    expect(history).toEqual([{ message_id: 'msg_no_url', status: 'failed' }]);

    // The message log still lists them: an unreadable payload shows as {}.
    const listed = await listMessages(t.store.db, 'default', MessageQuery.parse({}));
    expect(Object.fromEntries(listed.messages.map((m) => [m.idempotencyKey, m.payload]))).toEqual({
      'key-msg_not_json': {},
      'key-msg_no_url': { method: 'POST', body: { a: 1 } },
      'key-msg_bad_message': { message: 'hello' },
      'key-msg_unknown_kind': {},
      good: { url: 'https://hooks.example.com/ok', method: 'PUT', body: { b: 2 } },
    });
  });
});
