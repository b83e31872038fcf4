import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { ManualClock } from '../../src/shared/clock.js';

const MINUTE = 60_000;

interface Overview {
  at: string;
  events: { from: string; perMinute: number[] };
  profiles: number;
  journeys: Record<string, number>;
  messages: Record<string, number>;
  pipeline: { pending: number; lagSeconds: number };
}

describe.each(STORE_KINDS)('GET /v1/stats/overview (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  const overview = async (query = '') => {
    const res = await send(t, 'GET', `/v1/stats/overview${query}`, t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Overview>();
  };
  const track = (userId: string) =>
    send(t, 'POST', '/v1/track', t.keys.write, { userId, event: 'Product Viewed' });

  beforeAll(async () => {
    // 12:00:30: the minute 12:00 is the current one.
    clock = new ManualClock(Date.UTC(2026, 10, 1, 12, 0, 30));
    t = await createTestApp(kind, { clock });
  }, 60_000);
  afterAll(() => t.close());

  it('counts events per minute of arrival, people, journeys and the pipeline backlog', async () => {
    const empty = await overview('?minutes=5');
    expect(empty.events.perMinute).toEqual([0, 0, 0, 0, 0]);
    expect(empty.events.from).toBe('2026-11-01T11:56:00.000Z');
    expect(empty.profiles).toBe(0);
    expect(empty.pipeline).toEqual({ pending: 0, lagSeconds: 0 });

    // Two events three minutes ago, one now.
    clock.set(Date.UTC(2026, 10, 1, 11, 57, 10));
    expect((await track('u-1')).statusCode).toBe(200);
    expect((await track('u-2')).statusCode).toBe(200);
    clock.set(Date.UTC(2026, 10, 1, 12, 0, 30));
    expect((await track('u-1')).statusCode).toBe(200);

    const waiting = await overview('?minutes=5');
    expect(waiting.events.perMinute).toEqual([0, 2, 0, 0, 1]);
    expect(waiting.pipeline.pending).toBe(3);
    // The oldest waiting event arrived at 11:57:10, 200 s before now.
    expect(waiting.pipeline.lagSeconds).toBe(200);

    await t.ctx.profiles.drain();
    const created = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'j',
        trigger: { type: 'api' },
        start: 'done',
        steps: [{ id: 'done', type: 'exit' }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const done = await overview();
    expect(done.events.perMinute).toHaveLength(60);
    expect(done.events.perMinute.slice(-5)).toEqual([0, 2, 0, 0, 1]);
    expect(done.profiles).toBe(2);
    expect(done.pipeline).toEqual({ pending: 0, lagSeconds: 0 });
    expect(done.journeys).toEqual({ active: 1 });
    expect(done.messages).toEqual({});
    expect(done.at).toBe('2026-11-01T12:00:30.000Z');

    // Events older than the window are not counted.
    clock.advance(10 * MINUTE);
    expect((await overview('?minutes=5')).events.perMinute).toEqual([0, 0, 0, 0, 0]);
  });

  it('refuses a window it does not serve, naming the field', async () => {
    for (const minutes of ['0', '1441', 'abc']) {
      const res = await send(t, 'GET', `/v1/stats/overview?minutes=${minutes}`, t.keys.read);
      expect(res.statusCode, minutes).toBe(400);
      expect(res.json().error.details[0].path).toBe('query.minutes');
    }
  });
});
