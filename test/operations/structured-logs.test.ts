// Sends, failures, skips and imports each write one structured line with stable field
// names, and never a person's e-mail address, even where an SMTP server's reply quotes it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../src/importer/run-import.js';
import { enqueueMessages } from '../../src/messaging/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { withTransaction } from '../../src/store/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

type Line = Record<string, unknown>;

describe.each(STORE_KINDS)('structured operation logs (%s)', (kind) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let clock: ManualClock;
  const lines: Line[] = [];
  const raw: string[] = [];
  let dir: string;
  beforeAll(async () => {
    // Refuses one address for good and one for now, quoting each in its reply.
    smtp = await startSmtp({
      onRcptTo(address, _session, callback) {
        const fail = (code: number, text: string) =>
          callback(
            Object.assign(new Error(`<${address.address}>: ${text}`), { responseCode: code }),
          );
        if (address.address === 'gone@x.test') fail(550, 'no such user');
        else if (address.address === 'busy@x.test') fail(451, 'mailbox busy, try later');
        else callback();
      },
    });
    clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
    const logger = pino(
      { level: 'debug' },
      {
        write(line: string) {
          raw.push(line);
          lines.push(JSON.parse(line) as Line);
        },
      },
    );
    t = await createTestApp(kind, {
      clock,
      smtpUrl: smtp.url,
      publicUrl: 'https://r.example.com',
      logger,
    });
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'news@shop.example.com' },
    });
    dir = mkdtempSync(join(tmpdir(), 'rapport-logs-'));
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const of = (event: string) => lines.filter((l) => l.event === event);

  it('logs a sent, a retried, a finally failed and a skipped message by id, channel and reason code', async () => {
    const people = {
      ann: { email: 'ann@x.test', email_opt_in: true },
      gone: { email: 'gone@x.test', email_opt_in: true },
      busy: { email: 'busy@x.test', email_opt_in: true },
      nope: { email: 'nope@x.test', email_opt_in: false },
    };
    for (const [userId, traits] of Object.entries(people)) {
      await send(t, 'POST', '/v1/identify', t.keys.write, { userId, traits });
    }
    await t.ctx.profiles.drain();
    const ids: Record<string, string> = {};
    for (const userId of Object.keys(people)) {
      ids[userId] = (await send(t, 'GET', `/v1/profiles/user_id/${userId}`, t.keys.read)).json().id;
    }
    await withTransaction(t.ctx.store, (tx) =>
      enqueueMessages(
        tx,
        Object.keys(people).map((userId) => ({
          workspaceId: 'default',
          profileId: ids[userId]!,
          journeyId: null,
          runId: null,
          stepId: null,
          idempotencyKey: `news-${userId}`,
          channel: 'email',
          kind: 'send',
          topic: null,
          priority: 0,
          payload: { message: { content: { subject: 'News', html: '<p>Hello</p>' } } },
        })),
        clock.now(),
      ),
    );
    expect(await t.ctx.outbox.step()).toBe(true);
    const messageIdOf = async (userId: string) =>
      (
        await t.ctx.store.db
          .selectFrom('messages')
          .select('id')
          .where('idempotency_key', '=', `news-${userId}`)
          .executeTakeFirstOrThrow()
      ).id;

    const sent = of('message.sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      level: 30,
      workspace: 'default',
      messageId: await messageIdOf('ann'),
      journeyId: null,
      channel: 'email',
      attempt: 1,
      status: 'sent',
    });
    expect(sent[0]!.durationMs).toEqual(expect.any(Number));

    const failed = of('message.failed');
    const byId = (id: string) => failed.find((l) => l.messageId === id);
    expect(byId(await messageIdOf('gone'))).toMatchObject({
      level: 40,
      channel: 'email',
      status: 'bounced',
      final: true,
      reason: 'bounced',
      error: expect.stringContaining('550'),
    });
    expect(byId(await messageIdOf('busy'))).toMatchObject({
      level: 40,
      status: 'retry',
      final: false,
      reason: 'error',
      error: expect.stringContaining('451'),
    });
    // The SMTP replies quoted the address; the lines carry a placeholder instead.
    expect(String(byId(await messageIdOf('gone'))!.error)).toContain('[email]');

    const skipped = of('message.skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({
      level: 30,
      messageId: await messageIdOf('nope'),
      channel: 'email',
      status: 'skipped',
      reason: 'channel_denied',
    });
    for (const line of raw) expect(line).not.toMatch(/@x\.test/);
  });

  it('logs an import as started, progress and finished, without the rows', async () => {
    const file = join(dir, 'people.jsonl');
    const rows = Array.from({ length: 5 }, (_, i) =>
      JSON.stringify({ type: 'identify', userId: `imp${i}`, traits: { email: `imp${i}@x.test` } }),
    );
    writeFileSync(file, [...rows, '{"type": "identify"'].join('\n'));
    const before = lines.length;
    const summary = await runImport(
      {
        store: t.ctx.store,
        writer: t.ctx.writer,
        processor: t.ctx.profiles,
        models: t.ctx.models,
        clock: t.ctx.clock,
        logger: t.ctx.logger,
      },
      {
        kind: 'profiles',
        files: [file],
        workspaceId: 'default',
        mapping: new Map(),
        rejectsPath: join(dir, 'rejects.jsonl'),
        logEvery: 2,
        progress: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream,
      },
    );
    expect(summary.events).toBe(5);
    const mine = lines.slice(before).filter((l) => String(l.event).startsWith('import.'));
    expect(mine.map((l) => [l.event, l.phase ?? null, l.done ?? null])).toEqual([
      ['import.started', null, null],
      ['import.progress', 'read', 2],
      ['import.progress', 'read', 4],
      ['import.progress', 'read', 6],
      // Folds what waits, the earlier test's delivery events too: 5 imported and more.
      ['import.progress', 'profiles', expect.any(Number)],
      ['import.finished', null, null],
    ]);
    expect(mine[0]).toMatchObject({
      workspace: 'default',
      kind: 'profiles',
      files: ['people.jsonl'],
    });
    expect(mine.at(-1)).toMatchObject({
      workspace: 'default',
      kind: 'profiles',
      rows: 6,
      events: 5,
      rejected: 1,
      durationMs: expect.any(Number),
    });
    for (const line of raw) expect(line).not.toMatch(/@x\.test/);
  });
});
