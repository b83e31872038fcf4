import { afterEach, describe, expect, it } from 'vitest';
import { ProfileProcessor, type PipelineStage } from '../../src/profiles/index.js';
import { countPending } from '../../src/profiles/processor.js';
import { MAX_ATTEMPTS } from '../../src/profiles/settle-batch.js';
import { appendEvents, type EventRow } from '../../src/store/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

/** Polls (the background loops run in real time) until `done` or the deadline. */
async function until(done: () => Promise<boolean>, ms: number): Promise<number> {
  const started = performance.now();
  while (!(await done())) {
    if (performance.now() - started > ms) throw new Error(`not done within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - started;
}

/** An event as an older version (or an import) may have stored it, bypassing today's checks. */
function storedRow(messageId: string, raw: string, userId: string): EventRow {
  const now = Date.now();
  return {
    workspace_id: 'default',
    message_id: messageId,
    type: 'identify',
    event: null,
    user_id: userId,
    anonymous_id: null,
    previous_id: null,
    group_id: null,
    timestamp: now,
    received_at: now,
    sent_at: null,
    raw,
  };
}

/** A stage that throws on the batch holding the event with this message id, if any. */
function failingOn(messageId: () => string | null, error: Error): PipelineStage {
  return {
    name: 'failing',
    run: async (_tx, changes) => {
      const id = messageId();
      if (id !== null && changes.some((c) => c.events.some((e) => e.messageId === id))) throw error;
      return changes;
    },
  };
}

describe.each(STORE_KINDS)('no event can stop the pipeline (%s)', (kind) => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  const quarantine = async () =>
    (await send(t, 'GET', '/v1/admin/quarantine', t.keys.admin)).json().quarantined as {
      eventId: number;
      messageId: string;
      attempts: number;
      error: string;
    }[];
  const metric = async (name: string) => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.split(' ')[1]);
  };
  const profileOf = async (userId: string) =>
    (await send(t, 'GET', `/v1/profiles/user_id/${userId}`, t.keys.read)).statusCode;

  it('quarantines an event a stage throws on and processes later events within a second', async () => {
    let broken = true;
    t = await createTestApp(kind, {
      background: true,
      stages: [failingOn(() => (broken ? 'poison' : null), new Error('stage failed on poison'))],
    });
    await send(t, 'POST', '/v1/identify', t.keys.write, { userId: 'p', messageId: 'poison' });
    const batch = Array.from({ length: 20 }, (_, i) => ({
      type: 'track',
      userId: `later-${i}`,
      event: 'Product Viewed',
    }));
    const acked = await send(t, 'POST', '/v1/batch', t.keys.write, { batch });
    expect(acked.json().accepted).toBe(20);
    const waited = await until(async () => (await countPending(t.ctx.store)) === 0, 5_000);
    expect(waited).toBeLessThan(1_000);
    for (let i = 0; i < 20; i++) expect(await profileOf(`later-${i}`)).toBe(200);
    expect(await profileOf('p')).toBe(404);

    const [entry, ...rest] = await quarantine();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      messageId: 'poison',
      attempts: MAX_ATTEMPTS,
      error: 'Error: stage failed on poison',
    });
    expect(await metric('rapport_quarantined_events')).toBe(1);
    expect(await metric('rapport_events_quarantined_total')).toBe(1);

    // Retried while the stage still fails: back in quarantine, nothing else stalls.
    const again = await send(
      t,
      'POST',
      `/v1/admin/quarantine/${entry!.eventId}/retry`,
      t.keys.admin,
    );
    expect(again.json()).toEqual({ retried: true });
    await until(
      async () => (await quarantine()).length === 1 && (await countPending(t.ctx.store)) === 0,
      5_000,
    );
    expect(await metric('rapport_events_quarantined_total')).toBe(2);

    // Fixed: a retry processes it.
    broken = false;
    await send(t, 'POST', `/v1/admin/quarantine/${entry!.eventId}/retry`, t.keys.admin);
    await until(async () => (await profileOf('p')) === 200, 5_000);
    expect(await quarantine()).toEqual([]);
    expect(await metric('rapport_quarantined_events')).toBe(0);
  });

  it('finds the failing events by halves, in far fewer attempts than events', async () => {
    t = await createTestApp(kind);
    const batch = Array.from({ length: 64 }, (_, i) => ({
      type: 'identify',
      userId: `h-${i}`,
      messageId: `h-${i}`,
    }));
    await send(t, 'POST', '/v1/batch', t.keys.write, { batch });
    let attempts = 0;
    const processor = new ProfileProcessor(t.ctx.store, t.clock, {
      batchSize: 64,
      stages: [
        {
          name: 'counting',
          run: async (_tx, changes) => {
            attempts++;
            const ids = changes.flatMap((c) => c.events.map((e) => e.messageId));
            if (ids.includes('h-5') || ids.includes('h-40')) throw new Error('bad event');
            return changes;
          },
        },
      ],
    });
    expect((await processor.processBatch()).events).toBe(64);
    expect(await countPending(t.ctx.store)).toBe(0);
    expect((await quarantine()).map((q) => q.messageId).sort()).toEqual(['h-40', 'h-5']);
    // 1 batch + 1 retry + 2 x (2 per level x 6 levels) + 2 x 2 retries = 30 at most.
    expect(attempts).toBeLessThanOrEqual(30);
    expect(await profileOf('h-6')).toBe(200);
  });

  it('drops a quarantined event from the log on request, and says when there is none', async () => {
    t = await createTestApp(kind, { stages: [failingOn(() => 'bad', new Error('no'))] });
    await send(t, 'POST', '/v1/identify', t.keys.write, { userId: 'b', messageId: 'bad' });
    await send(t, 'POST', '/v1/identify', t.keys.write, { userId: 'g', messageId: 'good' });
    await t.ctx.profiles.drain();
    const [entry] = await quarantine();
    expect(entry?.messageId).toBe('bad');
    const url = `/v1/admin/quarantine/${entry!.eventId}`;
    expect((await send(t, 'DELETE', url, t.keys.read)).statusCode).toBe(403);
    expect((await send(t, 'DELETE', url, t.keys.admin)).json()).toEqual({ dropped: true });
    const events = (await send(t, 'GET', '/v1/events', t.keys.read)).json().events as {
      messageId: string;
    }[];
    expect(events.map((e) => e.messageId)).toEqual(['good']);
    const gone = await send(t, 'DELETE', url, t.keys.admin);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.message).toMatch(/GET \/v1\/admin\/quarantine/);
    const bad = await send(t, 'POST', '/v1/admin/quarantine/abc/retry', t.keys.admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('params.eventId');
  });

  it('goes on past events stored before the input checks existed', async () => {
    t = await createTestApp(kind);
    const deep = `${'{"a":'.repeat(4200)}1${'}'.repeat(4200)}`;
    await appendEvents(t.ctx.store, [
      storedRow('deep', `{"type":"identify","userId":"d","traits":{"x":${deep}}}`, 'd'),
      storedRow(
        'nul',
        '{"type":"identify","userId":"n","traits":{"email":"a\\u0000b@example.com"}}',
        'n',
      ),
      storedRow('fine', '{"type":"identify","userId":"f"}', 'f'),
    ]);
    await t.ctx.profiles.drain();
    expect(await countPending(t.ctx.store)).toBe(0);
    expect(await profileOf('f')).toBe(200);
    const held = (await quarantine()).map((q) => q.messageId).sort();
    // PostgreSQL text cannot hold NUL; SQLite can, so there that person is simply processed.
    expect(held).toEqual(kind === 'postgres' ? ['deep', 'nul'] : ['deep']);
    expect(await profileOf('n')).toBe(kind === 'postgres' ? 404 : 200);

    // Reading the log never fails on what it holds.
    const events = await send(t, 'GET', '/v1/events', t.keys.read);
    expect(events.statusCode).toBe(200);
    const byId = new Map(
      (events.json().events as { messageId: string; payload: unknown; raw?: string }[]).map((e) => [
        e.messageId,
        e,
      ]),
    );
    expect(byId.get('deep')).toMatchObject({
      payload: null,
      raw: expect.stringContaining('{"a":{"a":'),
    });
    expect(byId.get('fine')?.payload).toEqual({ type: 'identify', userId: 'f' });
  });
});
