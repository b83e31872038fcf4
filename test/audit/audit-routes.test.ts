import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { ADMIN_KEY, createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { entries, keyIdOf, tableText } from './helpers.js';

const START = Date.UTC(2026, 10, 1, 12);
const SEGMENT = {
  name: 'Viewers',
  definition: { event: 'Product Viewed', count: { gte: 1 }, within: 'P7D' },
};
const JOURNEY = {
  id: 'welcome',
  name: 'Welcome',
  trigger: { type: 'event', event: 'Signed Up' },
  start: 'done',
  steps: [{ id: 'done', type: 'exit' }],
};
const TEMPLATE = { id: 'hello', name: 'Hello', channel: 'email', subject: 'Hi', html: '<p>Hi</p>' };

describe.each(STORE_KINDS)('the audit log records each admin action once (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let adminId: string;
  beforeEach(async () => {
    clock = new ManualClock(START);
    t = await createTestApp(kind, { clock });
    adminId = await keyIdOf(t, t.keys.admin);
  });
  afterEach(() => t.close());

  /** Runs a call and returns the one entry it added. */
  async function one(call: () => ReturnType<typeof send>, status: number) {
    const before = await entries(t);
    clock.advance(1000);
    const res = await call();
    expect(res.statusCode, res.body).toBe(status);
    const after = await entries(t);
    expect(after.length - before.length, JSON.stringify(after[0])).toBe(1);
    const entry = after[0]!;
    expect(entry.at).toBe(new Date(clock.now()).toISOString());
    return { entry, res };
  }

  it('keys: create, rotate, revoke, with the key id and never the key', async () => {
    const { entry, res } = await one(
      () => send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope: 'write', name: 'site' }),
      201,
    );
    const created = res.json<{ id: string; key: string }>();
    expect(entry).toMatchObject({
      keyId: adminId,
      action: 'key.create',
      target: { kind: 'key', id: created.id },
      before: null,
      after: { id: created.id, scope: 'write', name: 'site', status: 'active' },
      route: 'POST /v1/admin/keys',
    });

    const rotated = await one(
      () => send(t, 'POST', `/v1/admin/keys/${created.id}/rotate`, t.keys.admin, {}),
      201,
    );
    const newKey = rotated.res.json<{ id: string; key: string }>();
    expect(rotated.entry).toMatchObject({
      action: 'key.rotate',
      target: { kind: 'key', id: created.id },
      before: { id: created.id, expiresAt: null },
      after: { previous: { id: created.id }, created: { id: newKey.id, scope: 'write' } },
    });

    const revoked = await one(
      () => send(t, 'DELETE', `/v1/admin/keys/${newKey.id}`, t.keys.admin),
      200,
    );
    expect(revoked.entry).toMatchObject({
      action: 'key.revoke',
      target: { kind: 'key', id: newKey.id },
      before: { status: 'active', revokedAt: null },
      after: { status: 'revoked' },
    });
    const text = await tableText(t);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(newKey.key);
  });

  it('records the environment admin key as env:RAPPORT_ADMIN_KEY', async () => {
    const { entry } = await one(
      () => send(t, 'POST', '/v1/admin/keys', ADMIN_KEY, { scope: 'read' }),
      201,
    );
    expect(entry.keyId).toBe('env:RAPPORT_ADMIN_KEY');
  });

  it('settings and the webhook secret, which never appears', async () => {
    const get = await send(t, 'GET', '/v1/admin/settings', t.keys.admin);
    const settings = get.json<Record<string, unknown>>();
    const changed = { ...settings, webhook: { signing: 'off' } };
    const { entry } = await one(
      () => send(t, 'PUT', '/v1/admin/settings', t.keys.admin, changed),
      200,
    );
    expect(entry).toMatchObject({
      action: 'settings.update',
      target: { kind: 'settings', id: 'default' },
      before: { webhook: { signing: 'on' } },
      after: { webhook: { signing: 'off' } },
    });

    const rotated = await one(
      () => send(t, 'POST', '/v1/admin/webhook-secret/rotate', t.keys.admin, {}),
      200,
    );
    const secret = rotated.res.json<{ secret: string; fingerprint: string }>();
    expect(rotated.entry).toMatchObject({
      action: 'webhook_secret.rotate',
      after: { fingerprint: secret.fingerprint },
    });
    expect(await tableText(t)).not.toContain(secret.secret);
  });

  it('segments: create, update, delete', async () => {
    const c = await one(() => send(t, 'POST', '/v1/segments', t.keys.admin, SEGMENT), 201);
    const id = c.res.json<{ id: string }>().id;
    expect(c.entry).toMatchObject({
      action: 'segment.create',
      target: { kind: 'segment', id },
      before: null,
      after: { id, name: 'Viewers', version: 1 },
    });
    const u = await one(
      () => send(t, 'PUT', `/v1/segments/${id}`, t.keys.admin, { ...SEGMENT, name: 'Lookers' }),
      200,
    );
    expect(u.entry).toMatchObject({
      action: 'segment.update',
      before: { name: 'Viewers' },
      after: { name: 'Lookers' },
    });
    const d = await one(() => send(t, 'DELETE', `/v1/segments/${id}`, t.keys.admin), 204);
    expect(d.entry).toMatchObject({
      action: 'segment.delete',
      target: { kind: 'segment', id },
      before: { name: 'Lookers' },
      after: null,
    });
  });

  it('journeys: create, update, activate, pause, archive', async () => {
    const c = await one(
      () => send(t, 'POST', '/v1/journeys', t.keys.admin, { definition: JOURNEY }),
      201,
    );
    expect(c.entry).toMatchObject({
      action: 'journey.create',
      target: { kind: 'journey', id: 'welcome' },
      after: { id: 'welcome', version: 1 },
    });
    const u = await one(
      () => send(t, 'PUT', '/v1/journeys/welcome', t.keys.admin, { ...JOURNEY, name: 'Hi' }),
      200,
    );
    expect(u.entry).toMatchObject({
      action: 'journey.update',
      before: { version: 1 },
      after: { version: 2 },
    });
    for (const [verb, status] of [
      ['activate', 'active'],
      ['pause', 'paused'],
      ['archive', 'archived'],
    ] as const) {
      const s = await one(() => send(t, 'POST', `/v1/journeys/welcome/${verb}`, t.keys.admin), 200);
      expect(s.entry).toMatchObject({ action: `journey.${verb}`, after: { status } });
    }
  });

  it('templates: create and update', async () => {
    const c = await one(() => send(t, 'POST', '/v1/templates', t.keys.admin, TEMPLATE), 201);
    expect(c.entry).toMatchObject({
      action: 'template.create',
      target: { kind: 'template', id: 'hello' },
      before: null,
      after: { id: 'hello', subject: 'Hi' },
    });
    const u = await one(
      () => send(t, 'PUT', '/v1/templates/hello', t.keys.admin, { ...TEMPLATE, subject: 'Yo' }),
      200,
    );
    expect(u.entry).toMatchObject({ before: { subject: 'Hi' }, after: { subject: 'Yo' } });
  });

  it('consent through the API, with the key id of a write key', async () => {
    await send(t, 'POST', '/v1/identify', t.keys.write, { userId: 'eve', traits: {} });
    await t.ctx.profiles.drain();
    const writeId = await keyIdOf(t, t.keys.write);
    const { entry } = await one(
      () =>
        send(t, 'PUT', '/v1/profiles/user_id/eve/consent', t.keys.write, {
          email: false,
        }),
      200,
    );
    expect(entry).toMatchObject({
      keyId: writeId,
      action: 'consent.update',
      target: { kind: 'profile' },
      after: { channels: { email: { state: 'denied' } } },
    });
    expect(entry.target.id).toMatch(/.+/);
  });

  it('refused changes record nothing', async () => {
    const refused: [string, string, unknown?][] = [
      ['PUT', '/v1/segments/nope', SEGMENT], // 404
      ['DELETE', '/v1/segments/nope'],
      ['POST', '/v1/segments', { name: 'x', definition: { bogus: 1 } }], // 400
      ['PUT', '/v1/journeys/nope', JOURNEY],
      ['POST', '/v1/journeys/nope/activate'],
      ['PUT', '/v1/templates/nope', { ...TEMPLATE, id: 'nope' }],
      ['DELETE', '/v1/admin/keys/nope'],
      ['POST', '/v1/admin/keys/nope/rotate', {}],
      ['DELETE', '/v1/admin/quarantine/1'],
      ['POST', '/v1/admin/quarantine/1/retry'],
      ['PUT', '/v1/profiles/user_id/nobody/consent', { email: true }],
    ];
    await send(t, 'POST', '/v1/templates', t.keys.admin, TEMPLATE);
    const conflict: [string, string, unknown?][] = [
      ['POST', '/v1/templates', TEMPLATE], // 409: exists
      ['DELETE', `/v1/admin/keys/${adminId}`], // 409: the last admin key
    ];
    const before = await entries(t);
    for (const [method, url, body] of [...refused, ...conflict]) {
      const res = await send(t, method as 'PUT', url, t.keys.admin, body);
      expect([400, 404, 409], `${method} ${url}: ${res.body}`).toContain(res.statusCode);
    }
    expect(await entries(t)).toEqual(before);
  });
});
