// A segment definition is decoded through `SegmentDefinition` when read. One that does
// not decode is left out of the pipeline (reported), every other segment is evaluated
// as usual, the API names the problem, and a PUT repairs it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countQuarantined } from '../../src/profiles/index.js';
import { SegmentRegistry } from '../../src/segments/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('an unreadable segment definition (%s)', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(kind, { clock: new ManualClock(Date.UTC(2026, 9, 1, 12)) });
  });
  afterEach(async () => {
    await t.close();
  });

  let n = 0;
  const identify = async (userId: string, traits: Record<string, unknown>) => {
    const res = await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId,
      traits,
      messageId: `s${++n}`,
    });
    expect(res.statusCode).toBe(200);
    await t.ctx.profiles.drain();
  };
  const create = async (name: string, plan: string) => {
    const res = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name,
      definition: { trait: 'plan', eq: plan },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const members = async (id: string) =>
    (
      (await send(t, 'GET', `/v1/segments/${id}/members`, t.keys.read)).json().members as {
        profileId: string;
      }[]
    ).length;

  it('is left out while the other segments keep evaluating, and a PUT repairs it', async () => {
    const pro = await create('Pro', 'pro');
    const free = await create('Free', 'free');
    // A hand edit; the new updated_at moves the registry's cache stamp, as any edit does.
    await t.ctx.store.db
      .updateTable('segments')
      .set({ definition: '{"trait": "plan"}', updated_at: Date.UTC(2026, 9, 1, 13) })
      .where('id', '=', pro)
      .execute();

    await identify('ada', { plan: 'free' });
    await identify('bob', { plan: 'pro' });
    expect(await countQuarantined(t.ctx.store.db)).toBe(0);
    expect(await members(free)).toBe(1);
    expect(await members(pro)).toBe(0);

    const heard: { problem: string }[] = [];
    const segments = await new SegmentRegistry({ onUnreadable: (u) => heard.push(u) }).get(
      t.ctx.store.db,
      'default',
    );
    expect(segments.byId.has(free)).toBe(true);
    expect(segments.byId.has(pro)).toBe(false);
    expect(heard).toEqual([
      { workspaceId: 'default', segmentId: pro, problem: expect.stringMatching(/operator/) },
    ]);

    const got = await send(t, 'GET', `/v1/segments/${pro}`, t.keys.read);
    expect(got.statusCode).toBe(500);
    expect(got.json().error).toMatchObject({
      code: 'corrupt_data',
      details: [{ path: 'definition', problem: heard[0]!.problem }],
    });
    expect((await send(t, 'GET', '/v1/segments', t.keys.read)).json().error.code).toBe(
      'corrupt_data',
    );

    const put = await send(t, 'PUT', `/v1/segments/${pro}`, t.keys.admin, {
      name: 'Pro',
      definition: { trait: 'plan', eq: 'pro' },
    });
    expect(put.statusCode, put.body).toBe(200);
    await t.ctx.segments.backfillAll();
    expect(await members(pro)).toBe(1);
  });
});
