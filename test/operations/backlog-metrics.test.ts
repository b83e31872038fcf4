// /metrics reads how far behind each stage is from the store, on a scrape, through a
// short cache: with a manual clock, a backlog of known ages gives exact values.
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, closeApp } from '../../src/app/build-app.js';
import { enqueueMessages, type OutgoingMessage } from '../../src/messaging/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { withTransaction } from '../../src/store/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 10, 1, 12);
const SECOND = 1000;

/** The value of one series of the exposition text; undefined when it is absent. */
function series(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (m?.[1] === name && (m[2] ?? '') === want) return Number(m[3]);
  }
  return undefined;
}

describe.each(STORE_KINDS)('backlog gauges on /metrics (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    t = await createTestApp(kind, { clock });
  });
  afterEach(async () => {
    await t.close();
  });

  const scrape = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  const message = (key: string, channel: string, notBefore?: number): OutgoingMessage => ({
    workspaceId: 'default',
    profileId: 'prof_1',
    journeyId: null,
    runId: null,
    stepId: null,
    idempotencyKey: key,
    channel,
    kind: 'send',
    topic: null,
    priority: 0,
    payload: { message: { content: { subject: 'Hi', html: '<p>Hi</p>' } } },
    ...(notBefore === undefined ? {} : { notBefore }),
  });

  it('reads zero lag and no depth from an idle store', async () => {
    const text = await scrape();
    expect(series(text, 'rapport_pipeline_lag_seconds', { stage: 'profiles' })).toBe(0);
    expect(series(text, 'rapport_pipeline_lag_seconds', { stage: 'outbox' })).toBe(0);
    expect(series(text, 'rapport_journey_lag_seconds')).toBe(0);
    expect(series(text, 'rapport_segment_lag_seconds')).toBe(0);
    expect(series(text, 'rapport_pipeline_pending_events')).toBe(0);
    expect(text).not.toMatch(/^rapport_outbox_messages\{/m);
  });

  it('gives the age of the oldest waiting item of each stage, and the outbox by status and channel', async () => {
    // Two events not yet folded, the first received at T0.
    for (const userId of ['ann', 'bob']) {
      const res = await send(t, 'POST', '/v1/track', t.keys.write, { userId, event: 'Seen' });
      expect(res.statusCode).toBe(200);
      clock.advance(5 * SECOND);
    }
    // Messages: two due at T0 + 10 s, one queued for later, one retrying on webhook.
    clock.set(T0 + 10 * SECOND);
    await withTransaction(t.ctx.store, (tx) =>
      enqueueMessages(
        tx,
        [
          message('a', 'email'),
          message('b', 'email'),
          message('later', 'email', T0 + 3_600_000),
          message('hook', 'webhook'),
        ],
        clock.now(),
      ),
    );
    await t.ctx.store.db
      .updateTable('messages')
      .set({ status: 'retry', next_attempt_at: T0 + 20 * SECOND })
      .where('idempotency_key', '=', 'hook')
      .execute();
    // A journey timer due at T0 + 15 s and one not due; a segment check due at T0 + 25 s.
    const run = (id: string, wakeAt: number) => ({
      id,
      workspace_id: 'default',
      journey_id: 'j',
      version: 1,
      profile_id: 'prof_1',
      key: null,
      status: 'waiting',
      step_id: 'wait',
      holdout: 0,
      wake_at: wakeAt,
      state: '{}',
      entered_at: T0,
      updated_at: T0,
      ended_at: null,
    });
    await t.ctx.store.db
      .insertInto('journey_runs')
      .values([run('run_due', T0 + 15 * SECOND), run('run_later', T0 + 3_600_000)])
      .execute();
    await t.ctx.store.db
      .insertInto('segment_checks')
      .values({
        workspace_id: 'default',
        segment_id: 's',
        profile_id: 'prof_1',
        due_at: T0 + 25 * SECOND,
      })
      .execute();

    clock.set(T0 + 60 * SECOND);
    const text = await scrape();
    expect(series(text, 'rapport_pipeline_pending_events')).toBe(2);
    expect(series(text, 'rapport_pipeline_lag_seconds', { stage: 'profiles' })).toBe(60);
    expect(series(text, 'rapport_pipeline_lag_seconds', { stage: 'outbox' })).toBe(50);
    expect(series(text, 'rapport_journey_lag_seconds')).toBe(45);
    expect(series(text, 'rapport_segment_lag_seconds')).toBe(35);
    expect(series(text, 'rapport_outbox_messages', { status: 'queued', channel: 'email' })).toBe(3);
    expect(series(text, 'rapport_outbox_messages', { status: 'retry', channel: 'webhook' })).toBe(
      1,
    );

    // The overview of the workspace reads the same backlog function.
    const overview = (await send(t, 'GET', '/v1/stats/overview', t.keys.read)).json();
    expect(overview.pipeline).toEqual({ pending: 2, lagSeconds: 60 });

    // Folding the events and sending the mail empties those stages; within the cache's
    // 5 s the scrape still answers from the last read (one read per interval), after it
    // from the store.
    await t.ctx.profiles.drain();
    await t.ctx.store.db.deleteFrom('messages').execute();
    clock.advance(4 * SECOND);
    const cached = await scrape();
    expect(series(cached, 'rapport_pipeline_pending_events')).toBe(2);
    clock.advance(1 * SECOND);
    const fresh = await scrape();
    expect(series(fresh, 'rapport_pipeline_pending_events')).toBe(0);
    expect(series(fresh, 'rapport_pipeline_lag_seconds', { stage: 'profiles' })).toBe(0);
    expect(series(fresh, 'rapport_pipeline_lag_seconds', { stage: 'outbox' })).toBe(0);
    expect(fresh).not.toMatch(/^rapport_outbox_messages\{/m);
    expect(series(fresh, 'rapport_journey_lag_seconds')).toBe(50);
  });

  it('agrees across processes: a second app on the same store reads the same values', async () => {
    await send(t, 'POST', '/v1/track', t.keys.write, { userId: 'ann', event: 'Seen' });
    clock.advance(30 * SECOND);
    const other = buildApp({ store: t.ctx.store, clock, logger: pino({ level: 'silent' }) });
    const text = await other.metrics.registry.metrics();
    await closeApp(other);
    expect(series(text, 'rapport_pipeline_pending_events')).toBe(1);
    expect(series(text, 'rapport_pipeline_lag_seconds', { stage: 'profiles' })).toBe(30);
  });
});
