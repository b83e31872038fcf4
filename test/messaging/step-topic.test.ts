// A journey step states its consent topic on the message (the outbox's `topic` column).
// The gate must judge the message by that topic, not only by its template's: a person
// who said no to "offers" gets no offer, whatever template the step uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessages, listMessages } from '../../src/messaging/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { withTransaction } from '../../src/store/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { recipientsOf, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)("a step's consent topic holds at send time (%s)", (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let smtp: TestSmtp;
  let profileId: string;
  beforeAll(async () => {
    smtp = await startSmtp();
    clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
    t = await createTestApp(kind, { clock, smtpUrl: smtp.url, publicUrl: 'https://r.example.com' });
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'news@shop.example.com' },
    });
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'ola',
      traits: { email: 'ola@x.test', email_opt_in: true },
    });
    await t.ctx.profiles.drain();
    const put = await send(t, 'PUT', '/v1/profiles/user_id/ola/consent', t.keys.admin, {
      topics: { offers: 'denied' },
    });
    expect(put.statusCode).toBe(200);
    profileId = (await send(t, 'GET', '/v1/profiles/user_id/ola', t.keys.read)).json().id as string;
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function mail(topic: string, key: string): Promise<string[]> {
    const before = smtp.mails.length;
    await withTransaction(t.ctx.store, (tx) =>
      enqueueMessages(
        tx,
        [
          {
            workspaceId: 'default',
            profileId,
            journeyId: null,
            runId: null,
            stepId: 'send-1',
            idempotencyKey: key,
            channel: 'email',
            kind: 'send',
            topic,
            priority: 0,
            // Inline content has no topic of its own: only the step's topic can refuse it.
            payload: { message: { content: { subject: 'Hello', html: '<p>Hello</p>' } } },
          },
        ],
        clock.now(),
      ),
    );
    while (await t.ctx.outbox.step()) {
      // deliver everything due
    }
    return smtp.mails.slice(before).flatMap(recipientsOf);
  }

  it('refuses a message whose step topic the person denied, and sends one of another topic', async () => {
    expect(await mail('offers', 'offer-1')).toEqual([]);
    expect(await mail('newsletter', 'news-1')).toEqual(['ola@x.test']);

    const page = await listMessages(t.ctx.store.db, 'default', { profileId, limit: 10 });
    const byKey = new Map(page.messages.map((m) => [m.topic, m]));
    expect(byKey.get('offers')).toMatchObject({ status: 'skipped' });
    expect(byKey.get('offers')?.reason).toMatch(/topic/);
    expect(byKey.get('newsletter')).toMatchObject({ status: 'sent' });
  });
});
