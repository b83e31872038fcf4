import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, closeApp, type App } from '../../src/app/build-app.js';
import { buildServer } from '../../src/server/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { Store } from '../../src/store/index.js';
import { createTestApp, NO_RATE_LIMITS, send, type TestApp } from '../helpers/app.js';
import { reopenStore, STORE_KINDS } from '../helpers/stores.js';

// Two systems on one store, each with its own pool, key resolver and limiter: what an API
// process and a worker process (or a second API process) are on one PostgreSQL, and what
// a server and the CLI are on one SQLite file.
describe.each(STORE_KINDS)('key revocation reaches every process (%s)', (kind) => {
  let a: TestApp;
  let clock: ManualClock;
  let storeB: Store;
  let appB: App;
  let serverB: FastifyInstance;
  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 1, 12));
    a = await createTestApp(kind, { clock });
    storeB = reopenStore(a.testStore);
    appB = buildApp({ store: storeB, clock, logger: pino({ level: 'silent' }) });
    serverB = buildServer(appB, { rateLimits: NO_RATE_LIMITS });
    await serverB.ready();
  });
  afterAll(async () => {
    await serverB.close();
    await closeApp(appB);
    await storeB.close();
    await a.close();
  });

  const onB = (key: string) =>
    serverB.inject({
      method: 'GET',
      url: '/v1/profiles',
      headers: { authorization: `Bearer ${key}` },
    });
  const created = async (scope: 'read' | 'admin') => {
    const res = await send(a, 'POST', '/v1/admin/keys', a.keys.admin, { scope });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string; key: string }>();
  };

  it('a key revoked through one process answers 401 on the next request to the other', async () => {
    const k = await created('read');
    // B has just accepted the key: any cache it kept would be warm now.
    for (let i = 0; i < 3; i++) expect((await onB(k.key)).statusCode).toBe(200);
    expect((await send(a, 'DELETE', `/v1/admin/keys/${k.id}`, a.keys.admin)).statusCode).toBe(200);
    const res = await onB(k.key);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain('revoked');
  });

  it('a key rotated with no grace in one process stops at once in the other; its successor works there', async () => {
    const k = await created('read');
    expect((await onB(k.key)).statusCode).toBe(200);
    const rotated = await send(a, 'POST', `/v1/admin/keys/${k.id}/rotate`, a.keys.admin, {
      graceSeconds: 0,
    });
    expect(rotated.statusCode).toBe(201);
    expect((await onB(k.key)).statusCode).toBe(401);
    expect((await onB(rotated.json<{ key: string }>().key)).statusCode).toBe(200);
  });

  it('a key that expires stops on the next request after its expiry in both processes', async () => {
    const res = await send(a, 'POST', '/v1/admin/keys', a.keys.admin, {
      scope: 'read',
      expiresIn: 'PT10M',
    });
    const { key } = res.json<{ key: string }>();
    expect((await onB(key)).statusCode).toBe(200);
    clock.advance(10 * 60_000);
    expect((await onB(key)).statusCode).toBe(401);
    expect((await send(a, 'GET', '/v1/profiles', key)).statusCode).toBe(401);
  });

  it('a key created in one process works in the other at once, even after a refusal was cached', async () => {
    expect((await onB('rk_read_not-a-key')).statusCode).toBe(401);
    const k = await created('admin');
    expect((await onB(k.key)).statusCode).toBe(200);
  });
});
