// Journey rows are decoded through their schemas when read. A run state or a journey
// version that does not decode stops only itself: the run reads as exited with the
// problem as its reason; a version is left out (its runs held) and the API names it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countQuarantined } from '../../src/profiles/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

const HOUR = 3_600_000;

describe.each(STORE_KINDS)('unreadable journey rows (%s)', (kind) => {
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
  const track = async (userId: string, event: string) => {
    const res = await send(t, 'POST', '/v1/track', t.keys.write, {
      userId,
      event,
      messageId: `u${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  /** Waits an hour after `event`, then calls the receiver with `ping`. */
  const create = async (name: string, event: string) => {
    const res = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name,
        trigger: { type: 'event', event },
        start: 'wait',
        steps: [
          { id: 'wait', type: 'wait', duration: 'PT1H', next: 'ping' },
          { id: 'ping', type: 'webhook', url: hook.url, body: { ping: name }, next: 'done' },
          { id: 'done', type: 'exit' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const runOf = (userId: string) =>
    t.ctx.store.db
      .selectFrom('journey_runs')
      .innerJoin('identities', 'identities.profile_id', 'journey_runs.profile_id')
      .select(['journey_runs.id', 'status', 'wake_at', 'state'])
      .where('identities.kind', '=', 'user_id')
      .where('identities.value', '=', userId)
      .executeTakeFirstOrThrow();
  const pings = () => hook.received.map((r) => (r.body as { ping: string }).ping).sort();

  it('ends a run whose state does not decode, and still steps the others', async () => {
    const journeyId = await create('Welcome', 'Signed Up');
    await track('ada', 'Signed Up');
    await track('bob', 'Signed Up');
    await settle();
    const ada = await runOf('ada');
    expect(ada.status).toBe('waiting');
    await t.ctx.store.db
      .updateTable('journey_runs')
      .set({ state: '{"runId": 42}' })
      .where('id', '=', ada.id)
      .execute();

    clock.advance(2 * HOUR);
    await settle();

    expect(pings()).toEqual(['Welcome']);
    const after = await runOf('ada');
    expect(after.status).toBe('exited');
    expect(after.wake_at).toBeNull();
    expect(await t.ctx.journeys.runDueTimers()).toBe(false);
    const where = await send(t, 'GET', '/v1/profiles/user_id/ada/journeys', t.keys.read);
    expect(where.statusCode, where.body).toBe(200);
    expect(where.json().runs).toEqual([
      expect.objectContaining({
        runId: ada.id,
        journeyId,
        status: 'exited',
        stepId: 'wait',
        endReason: expect.stringMatching(/^unreadable state: runId: /),
        endedAt: new Date(clock.now()).toISOString(),
      }),
    ]);
    const stats = (await send(t, 'GET', `/v1/journeys/${journeyId}/stats`, t.keys.read)).json();
    expect(stats.runs).toEqual({ treated: 2, holdout: 0 });
    const wait = stats.steps.find((s: { stepId: string }) => s.stepId === 'wait');
    expect(wait.treated.exited).toBe(1);
  });

  it('leaves out a journey version that does not decode; the rest of the pipeline runs on', async () => {
    const broken = await create('Broken', 'Signed Up');
    await track('ada', 'Signed Up');
    await settle();
    await t.ctx.store.db
      .updateTable('journey_versions')
      .set({ definition: '{"name": "Broken", "steps": "none"}' })
      .where('journey_id', '=', broken)
      .execute();
    // A new journey changes the stage's cache stamp: the next batch reloads them all.
    await create('Other', 'Pinged');

    await track('ada', 'Pinged');
    await track('bob', 'Signed Up');
    await settle();
    clock.advance(2 * HOUR);
    await settle();

    // The other journey ran; nothing was quarantined; no new run on the broken one.
    expect(pings()).toEqual(['Other']);
    expect(await countQuarantined(t.ctx.store.db)).toBe(0);
    const runs = await t.ctx.store.db
      .selectFrom('journey_runs')
      .select(['status', 'wake_at'])
      .where('journey_id', '=', broken)
      .execute();
    // Ada's run is held like a paused journey's: looked at again in a minute.
    expect(runs).toEqual([{ status: 'waiting', wake_at: clock.now() + 60_000 }]);

    const got = await send(t, 'GET', `/v1/journeys/${broken}`, t.keys.read);
    expect(got.statusCode).toBe(500);
    expect(got.json().error).toMatchObject({
      code: 'corrupt_data',
      details: [{ path: 'definition', problem: expect.stringMatching(/^[a-z]+/) as string }],
    });
  });
});
