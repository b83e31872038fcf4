// Webhooks are signed by default (issue #13, item 8): a fresh workspace signs with a
// generated secret, a rotation shows the new secret once and keeps the old one signing
// for 24 hours, and only an explicit `webhook.signing: "off"` sends unsigned.
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/channels/webhook/signature.js';
import { ManualClock } from '../../src/shared/clock.js';
import { up as moveLegacySecrets } from '../../src/store/migrations/0009-webhook-signing-secret.js';
import { webhookSigningSecrets } from '../../src/workspaces/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { startReceiver, type Received } from '../helpers/webhook-receiver.js';

const HOUR = 3_600_000;

describe.each(STORE_KINDS)('webhook signing (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
    t = await createTestApp(kind, { clock });
    hook = await startReceiver();
  });
  afterEach(async () => {
    await t.close();
    await hook.close();
  });

  const settle = async () => {
    for (let i = 0; i < 10; i++) {
      const a = await t.ctx.profiles.drain();
      const b = await t.ctx.journeys.runDueTimers();
      const c = await t.ctx.outbox.step();
      if (a === 0 && !b && !c) return;
    }
  };
  let n = 0;
  /** One Ping through a journey that calls the receiver; returns what it received. */
  const deliver = async (): Promise<Received> => {
    const before = hook.received.length;
    const res = await send(t, 'POST', '/v1/track', t.keys.write, {
      userId: 'ada',
      event: 'Ping',
      messageId: `w${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
    });
    expect(res.statusCode, res.body).toBe(200);
    await settle();
    expect(hook.received).toHaveLength(before + 1);
    return hook.received[before]!;
  };
  const pingJourney = async (step: Record<string, unknown>) => {
    const res = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Ping',
        trigger: { type: 'event', event: 'Ping' },
        start: 'call',
        steps: [
          { id: 'call', ...step, next: 'done' },
          { id: 'done', type: 'exit' },
        ],
        reentry: { policy: 'always' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  /** Whether a receiver holding only `secret` accepts the delivery, at the sender's time. */
  const verifiesWith = (r: Received, secret: string) =>
    verifyWebhook({
      header: r.headers['rapport-signature'] as string | undefined,
      body: r.raw,
      secrets: secret,
      now: clock.now(),
    }).kind === 'ok';
  const v1Count = (r: Received) =>
    String(r.headers['rapport-signature'])
      .split(',')
      .filter((p) => p.startsWith('v1=')).length;

  it('signs a fresh workspace by default; after a rotation both secrets verify for 24 h, then only the new one', async () => {
    await pingJourney({ type: 'webhook', url: hook.url, body: { hello: 'ada' } });

    // A fresh workspace, nothing configured: the delivery is signed.
    const first = await deliver();
    expect(first.headers['rapport-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const [initial] = await webhookSigningSecrets(t.ctx.store.db, clock, 'default');
    expect(initial).toMatch(/^whsec_[\w-]{43}$/);
    expect(verifiesWith(first, initial!)).toBe(true);
    expect(verifiesWith(first, 'whsec_someone_else_entirely')).toBe(false);

    // Rotation shows the new secret once; reading back never shows a secret.
    const rotated = await send(t, 'POST', '/v1/admin/webhook-secret/rotate', t.keys.admin);
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const shown = rotated.json<{ secret: string; fingerprint: string }>();
    expect(shown.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(shown.secret).not.toBe(initial);
    const rotatedAt = new Date(clock.now()).toISOString();
    const retiresAt = new Date(clock.now() + 24 * HOUR).toISOString();
    expect(rotated.json()).toMatchObject({ createdAt: rotatedAt, previous: { retiresAt } });
    const state = await send(t, 'GET', '/v1/admin/webhook-secret', t.keys.admin);
    expect(state.json()).toEqual({
      signing: 'on',
      fingerprint: shown.fingerprint,
      createdAt: rotatedAt,
      previous: {
        fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{16}$/),
        createdAt: new Date(Date.UTC(2026, 10, 2, 9)).toISOString(),
        retiresAt,
      },
    });
    expect(state.body).not.toContain(shown.secret);
    expect(state.body).not.toContain(initial);
    const settings = await send(t, 'GET', '/v1/admin/settings', t.keys.admin);
    expect(settings.body).not.toContain('whsec_');

    // Both sign during the overlap: a receiver holding either one accepts.
    const during = await deliver();
    expect(v1Count(during)).toBe(2);
    expect(verifiesWith(during, shown.secret)).toBe(true);
    expect(verifiesWith(during, initial!)).toBe(true);

    clock.advance(24 * HOUR - 60_000);
    const lastMinute = await deliver();
    expect(verifiesWith(lastMinute, shown.secret)).toBe(true);
    expect(verifiesWith(lastMinute, initial!)).toBe(true);

    // 24 hours after the rotation the old secret signs no more.
    clock.advance(60_000);
    const after = await deliver();
    expect(v1Count(after)).toBe(1);
    expect(verifiesWith(after, shown.secret)).toBe(true);
    expect(verifiesWith(after, initial!)).toBe(false);
    expect((await send(t, 'GET', '/v1/admin/webhook-secret', t.keys.admin)).json()).toMatchObject({
      fingerprint: shown.fingerprint,
      previous: null,
    });
  });

  it('retires the old secret at once with overlapHours 0 (a leaked secret)', async () => {
    await pingJourney({ type: 'webhook', url: hook.url, body: {} });
    const [initial] = await webhookSigningSecrets(t.ctx.store.db, clock, 'default');
    const rotated = await send(t, 'POST', '/v1/admin/webhook-secret/rotate', t.keys.admin, {
      overlapHours: 0,
    });
    expect(rotated.json()).toMatchObject({ previous: null });
    const r = await deliver();
    expect(verifiesWith(r, rotated.json<{ secret: string }>().secret)).toBe(true);
    expect(verifiesWith(r, initial!)).toBe(false);
  });

  it('sends unsigned only when webhook.signing is "off"', async () => {
    const put = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      webhook: { url: hook.url, signing: 'off' },
    });
    expect(put.statusCode, put.body).toBe(200);
    // A send step on the webhook channel goes to the workspace's webhook.url.
    await pingJourney({ type: 'send', channel: 'webhook', message: { content: {} } });
    const unsigned = await deliver();
    expect(unsigned.headers['rapport-signature']).toBeUndefined();
    expect(unsigned.body).toMatchObject({ type: 'journey.message' });

    // Omitting `signing` (as any older settings document does) means on.
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, { webhook: { url: hook.url } });
    const [secret] = await webhookSigningSecrets(t.ctx.store.db, clock, 'default');
    expect(verifiesWith(await deliver(), secret!)).toBe(true);
  });

  it.each([
    [{ overlapHours: -1 }, 'overlapHours', 'must be between 0 and 168 (one week)'],
    [{ overlapHours: 169 }, 'overlapHours', 'must be between 0 and 168 (one week)'],
    [{ overlapHours: 1.5 }, 'overlapHours', 'must be a whole number of hours'],
    [{ overlapHours: '24' }, 'overlapHours', expect.stringMatching(/expected number/)],
  ])('answers rotate %j with 400 naming the field', async (body, path, problem) => {
    const before = await send(t, 'GET', '/v1/admin/webhook-secret', t.keys.admin);
    const res = await send(t, 'POST', '/v1/admin/webhook-secret/rotate', t.keys.admin, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path, problem }]);
    // Nothing rotated.
    expect((await send(t, 'GET', '/v1/admin/webhook-secret', t.keys.admin)).json()).toEqual(
      before.json(),
    );
  });

  it('refuses a secret in the body or the settings, and rotation without an admin key', async () => {
    const withSecret = await send(t, 'POST', '/v1/admin/webhook-secret/rotate', t.keys.admin, {
      secret: 'whsec_chosen_by_me_0123456789',
    });
    expect(withSecret.statusCode).toBe(400);
    // Rapport generates every secret; the body may only say how long the old one lasts.
    expect(withSecret.json().error.details).toEqual([
      { path: '', problem: 'Unrecognized key: "secret"' },
    ]);
    const put = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      webhook: { url: hook.url, secret: 'a-secret-of-sixteen+' },
    });
    expect(put.statusCode).toBe(400);
    expect(put.json().error.details).toEqual([
      {
        path: 'webhook.secret',
        problem: expect.stringMatching(
          /^is no longer a setting: .*POST \/v1\/admin\/webhook-secret\/rotate/,
        ),
      },
    ]);
    for (const key of [t.keys.read, t.keys.write]) {
      expect((await send(t, 'POST', '/v1/admin/webhook-secret/rotate', key)).statusCode).toBe(403);
      expect((await send(t, 'GET', '/v1/admin/webhook-secret', key)).statusCode).toBe(403);
    }
  });

  it('migration 0009 keeps a secret from the old webhook.secret setting signing', async () => {
    // A workspace as it was before: its secret in the settings, no generated one yet.
    const legacy = 'legacy-receiver-secret-0123';
    const db = t.ctx.store.db;
    await db.insertInto('workspaces').values({ id: 'old', name: 'Old', created_at: 0 }).execute();
    await db
      .insertInto('workspace_settings')
      .values({
        workspace_id: 'old',
        settings: JSON.stringify({ webhook: { url: hook.url, secret: legacy } }),
        updated_at: 0,
      })
      .execute();
    const untouched = JSON.stringify({ webhook: { url: hook.url, secret: null } });
    await db
      .insertInto('workspace_settings')
      .values({ workspace_id: 'default', settings: untouched, updated_at: 0 })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ settings: untouched }))
      .execute();
    const generated = await webhookSigningSecrets(db, clock, 'default');

    // Migrations see an untyped database, as the migrator hands them one.
    await moveLegacySecrets(db as Kysely<unknown>);

    expect(await webhookSigningSecrets(db, clock, 'old')).toEqual([legacy]);
    expect(await webhookSigningSecrets(db, clock, 'default')).toEqual(generated);
    const stored = await db
      .selectFrom('workspace_settings')
      .select(['workspace_id', 'settings'])
      .orderBy('workspace_id')
      .execute();
    expect(stored.map((r) => [r.workspace_id, JSON.parse(r.settings)])).toEqual([
      ['default', { webhook: { url: hook.url } }],
      ['old', { webhook: { url: hook.url } }],
    ]);
  });
});
