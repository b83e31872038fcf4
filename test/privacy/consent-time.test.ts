import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const NOW = Date.UTC(2026, 5, 1, 12);

describe.each(STORE_KINDS)('a consent statement cannot come from the future (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(NOW);
    t = await createTestApp(kind, { clock });
  });
  afterEach(async () => {
    await t.close();
  });

  it('lets a later API "no" beat an identify "yes" dated 2099', async () => {
    const identify = await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 's7',
      timestamp: '2099-01-01T00:00:00Z',
      traits: { email: 's7@x.test', email_opt_in: true },
    });
    expect(identify.statusCode).toBe(200);
    await t.ctx.profiles.drain();
    const before = await send(t, 'GET', '/v1/profiles/user_id/s7/consent', t.keys.read);
    expect(before.json().channels.email).toEqual({ state: 'granted', source: 'identify', at: NOW });

    clock.advance(60_000);
    const deny = await send(t, 'PUT', '/v1/profiles/user_id/s7/consent', t.keys.write, {
      email: false,
    });
    expect(deny.statusCode).toBe(200);
    const after = await send(t, 'GET', '/v1/profiles/user_id/s7/consent', t.keys.read);
    expect(after.json().channels.email).toEqual({
      state: 'denied',
      source: 'api',
      at: NOW + 60_000,
    });
  });

  it('dates a consent within the allowed skew at its receipt, never later', async () => {
    // Sent with a device clock an hour fast and no sentAt: the event keeps its time, the
    // statement is dated when it arrived.
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'fast',
      timestamp: new Date(NOW + 3_600_000).toISOString(),
      traits: { email_opt_in: true },
    });
    await t.ctx.profiles.drain();
    const read = await send(t, 'GET', '/v1/profiles/user_id/fast/consent', t.keys.read);
    expect(read.json().channels.email.at).toBe(NOW);
  });

  it.each([
    ['sentAt', '0'],
    ['sentAt', '1'],
    ['timestamp', '12'],
    ['timestamp', 'x 2024'],
  ])('answers 400 for %s = %j, naming the field', async (field, value) => {
    const res = await send(t, 'POST', '/v1/track', t.keys.write, {
      userId: 'u',
      event: 'E',
      [field]: value,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual([field]);
  });
});
