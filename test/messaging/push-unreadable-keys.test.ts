// Push keys are decoded through their schemas when a push goes out: a subscription whose
// stored keys do not decode fails on its own (the person's other subscriptions still get
// the push), and unreadable VAPID keys fail push with the reason, not a thrown error.
import { createECDH, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueMessages } from '../../src/messaging/index.js';
import { findProfileId } from '../../src/profiles/index.js';
import { withTransaction } from '../../src/store/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('unreadable push keys (%s)', (kind) => {
  let t: TestApp;
  let service: Server;
  let received: string[];
  beforeEach(async () => {
    t = await createTestApp(kind);
    received = [];
    service = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(req.url ?? '');
        res.writeHead(201).end();
      });
    });
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    await t.close();
    await new Promise((r) => service.close(r));
  });

  const subscribe = async (path: string) => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const port = (service.address() as AddressInfo).port;
    const res = await send(t, 'POST', '/v1/push/subscriptions', t.keys.write, {
      userId: 'ada',
      subscription: {
        endpoint: `http://127.0.0.1:${port}${path}`,
        keys: {
          p256dh: ecdh.getPublicKey().toString('base64url'),
          auth: randomBytes(16).toString('base64url'),
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  let n = 0;
  /** Queues one push to ada, delivers it, and returns its status and reason. */
  const pushToAda = async () => {
    await t.ctx.profiles.drain();
    const profileId = (await findProfileId(t.ctx.store.db, 'default', 'user_id', 'ada'))!;
    const key = `push-${++n}`;
    await withTransaction(t.ctx.store, (tx) =>
      enqueueMessages(
        tx,
        [
          {
            workspaceId: 'default',
            profileId,
            journeyId: null,
            runId: null,
            stepId: null,
            idempotencyKey: key,
            channel: 'push',
            kind: 'send',
            topic: null,
            priority: 1,
            payload: { message: { content: { pushTitle: 'Hi', pushBody: 'There' } } },
          },
        ],
        t.clock.now(),
      ),
    );
    while (await t.ctx.outbox.step()) {
      // deliver everything due
    }
    return t.ctx.store.db
      .selectFrom('messages')
      .select(['status', 'reason'])
      .where('idempotency_key', '=', key)
      .executeTakeFirstOrThrow();
  };

  it('fails only the subscription whose keys do not decode', async () => {
    await subscribe('/push/good');
    await subscribe('/push/broken');
    await t.ctx.store.db
      .updateTable('push_subscriptions')
      .set({ keys: '{"p256dh": "short"}' })
      .where('endpoint', 'like', '%/push/broken')
      .execute();

    expect(await pushToAda()).toEqual({ status: 'sent', reason: null });
    expect(received).toEqual(['/push/good']);

    await t.ctx.store.db
      .deleteFrom('push_subscriptions')
      .where('endpoint', 'like', '%/push/good')
      .execute();
    const alone = await pushToAda();
    expect(alone.status).toBe('failed');
    expect(alone.reason).toMatch(/^subscription \S+ has unreadable keys: p256dh: /);
    expect(received).toEqual(['/push/good']);
  });

  it('fails push, with the reason, when the VAPID keys do not decode', async () => {
    await subscribe('/push/good');
    expect((await send(t, 'GET', '/v1/push/vapid-public-key', t.keys.write)).statusCode).toBe(200);
    await t.ctx.store.db
      .updateTable('workspace_secrets')
      .set({ value: '{"publicKey": 42}' })
      .where('kind', '=', 'vapid')
      .execute();

    const m = await pushToAda();
    expect(m.status).toBe('failed');
    expect(m.reason).toMatch(/^the workspace's VAPID keys are unreadable: publicKey: /);
    expect(received).toEqual([]);
    const key = await send(t, 'GET', '/v1/push/vapid-public-key', t.keys.write);
    expect(key.statusCode).toBe(500);
    expect(key.json().error.code).toBe('corrupt_data');
  });
});
