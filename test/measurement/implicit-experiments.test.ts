import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJourney } from '../../src/journeys/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 2, 2, 12);

const definition = (holdoutPercent: number) => ({
  name: 'Welcome',
  trigger: { type: 'event', event: 'Signed Up' },
  holdoutPercent,
  start: 'pick',
  steps: [
    {
      id: 'pick',
      type: 'split',
      arms: [
        { name: 'short', weight: 1, next: 'x' },
        { name: 'long', weight: 3, next: 'x' },
      ],
    },
    { id: 'x', type: 'exit' },
  ],
});

describe.each(STORE_KINDS)('implicit experiments are written on save, not on read (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    t = await createTestApp(kind, { clock });
  });
  afterEach(() => t.close());

  const rows = () =>
    t.ctx.store.db
      .selectFrom('experiments')
      .select(['id', 'arms', 'updated_at'])
      .orderBy('id')
      .execute();

  it('a GET on a fresh workspace writes nothing, even with journeys saved behind its back', async () => {
    const empty = await send(t, 'GET', '/v1/experiments', t.keys.read);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toEqual({ experiments: [] });
    expect(await rows()).toEqual([]);

    // A journey written without the API (no save hook ran): reading does not repair it.
    const j = await createJourney(t.ctx.store.db, clock, 'default', {
      definition: definition(20),
      activate: true,
    });
    expect((await send(t, 'GET', '/v1/experiments', t.keys.read)).json()).toEqual({
      experiments: [],
    });
    const one = await send(t, 'GET', `/v1/experiments/journey:${j.id}`, t.keys.read);
    expect(one.statusCode).toBe(404);
    const report = await send(t, 'GET', `/v1/experiments/journey:${j.id}/report`, t.keys.read);
    expect(report.statusCode).toBe(404);
    expect(await rows()).toEqual([]);
  });

  it('creating, changing and activating a journey writes its holdout and split experiments', async () => {
    const created = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: definition(20),
      activate: false,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const saved = await rows();
    expect(saved.map((r) => r.id)).toEqual([`journey:${id}`, `step:${id}:pick`]);
    expect(JSON.parse(saved[0]!.arms)).toEqual([
      { name: 'control', weight: 20 },
      { name: 'treatment', weight: 80 },
    ]);
    expect(JSON.parse(saved[1]!.arms)).toEqual([
      { name: 'arm:0', weight: 1, variant: 'short' },
      { name: 'arm:1', weight: 3, variant: 'long' },
    ]);
    // Listed before anyone is exposed, with nobody in any arm; the read changed nothing.
    const list = (await send(t, 'GET', '/v1/experiments', t.keys.read)).json();
    expect(list.experiments.map((e: { people: unknown }) => e.people)).toEqual([
      { control: 0, treatment: 0 },
      { 'arm:0': 0, 'arm:1': 0 },
    ]);
    expect(await rows()).toEqual(saved);

    // A changed holdout share is written by the PUT, not by the next read.
    clock.advance(1000);
    const put = await send(t, 'PUT', `/v1/journeys/${id}`, t.keys.admin, {
      definition: definition(10),
    });
    expect(put.statusCode, put.body).toBe(200);
    const changed = await rows();
    expect(JSON.parse(changed[0]!.arms)).toEqual([
      { name: 'control', weight: 10 },
      { name: 'treatment', weight: 90 },
    ]);
    expect(changed[0]!.updated_at).toBe(T0 + 1000);

    // Activation re-states them (an experiment deleted behind its back comes back).
    await t.ctx.store.db.deleteFrom('experiments').execute();
    const activated = await send(t, 'POST', `/v1/journeys/${id}/activate`, t.keys.admin);
    expect(activated.statusCode, activated.body).toBe(200);
    expect((await rows()).map((r) => r.id)).toEqual([`journey:${id}`, `step:${id}:pick`]);
  });

  it('a journey without holdout or split implies no experiment', async () => {
    const r = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        name: 'Plain',
        trigger: { type: 'event', event: 'Signed Up' },
        start: 'x',
        steps: [{ id: 'x', type: 'exit' }],
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(await rows()).toEqual([]);
  });
});
