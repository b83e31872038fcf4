import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';

interface Message {
  id: string;
  profileId: string;
  status: string;
  reason: string | null;
  history: { status: string; detail: string | null }[];
}

/** A real SMTP server that refuses mail by policy (5.7.1) until told to accept it. */
async function flakySmtp() {
  const state = { refuse: true, mails: [] as ParsedMail[] };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!state.refuse) return callback();
      const error = Object.assign(new Error('5.7.1 Sending paused for this account'), {
        responseCode: 554,
      });
      callback(error);
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          state.mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('rapport messages retry', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof flakySmtp>>;
  let clock: ManualClock;
  beforeEach(async () => {
    smtp = await flakySmtp();
    clock = new ManualClock(Date.now());
    t = await createTestApp('sqlite', {
      clock,
      smtpUrl: smtp.url,
      publicUrl: 'https://shop.example.com',
    });
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
    });
    const j = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      definition: {
        id: 'welcome',
        name: 'Welcome',
        trigger: { type: 'event', event: 'Signed Up' },
        start: 'hello',
        steps: [
          {
            id: 'hello',
            type: 'send',
            channel: 'email',
            message: { content: { subject: 'Welcome', text: 'Hello there' } },
            next: 'done',
          },
          { id: 'done', type: 'exit' },
        ],
      },
    });
    expect(j.statusCode, j.body).toBe(201);
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      const a = await t.ctx.profiles.drain();
      const c = await t.ctx.outbox.step();
      if (a === 0 && !c) return;
    }
  };
  let n = 0;
  const signUp = async (userId: string, traits: Record<string, unknown>) => {
    await send(t, 'POST', '/v1/identify', t.keys.write, { userId, traits, messageId: `i${++n}` });
    await send(t, 'POST', '/v1/track', t.keys.write, {
      userId,
      event: 'Signed Up',
      messageId: `s${++n}`,
    });
  };
  const messages = async () =>
    (await send(t, 'GET', '/v1/messages', t.keys.read)).json<{ messages: Message[] }>().messages;
  const retry = (...args: string[]) =>
    runCli(['messages', 'retry', '--data', t.testStore.dataDir!, '--json', ...args]);

  it('resends what failed once the SMTP server takes mail again, once, audited', async () => {
    await signUp('ada', { email: 'ada@example.com', email_opt_in: true });
    // Bea said no to e-mail: her message is skipped, and a retry must not send it.
    await signUp('bea', { email: 'bea@example.com', email_opt_in: false });
    await settle();
    const before = await messages();
    expect(before.map((m) => m.status).sort()).toEqual(['failed', 'skipped']);
    const failed = before.find((m) => m.status === 'failed')!;
    expect(failed.reason).toContain('5.7.1 Sending paused');
    expect(smtp.state.mails).toHaveLength(0);

    smtp.state.refuse = false;
    const first = await retry('--status', 'failed');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      requeued: 1,
      unfixable: 0,
      messages: [{ id: failed.id, was: 'failed' }],
    });
    // Idempotent: nothing is failed any more, so nothing is requeued twice.
    const second = await retry('--status', 'failed');
    expect(JSON.parse(second.stdout)).toMatchObject({ requeued: 0 });

    // The command dates the requeue by the wall clock, which has moved past the test's.
    clock.advance(10 * 60_000);
    await settle();
    expect(smtp.state.mails).toHaveLength(1);
    expect(smtp.state.mails[0]!.subject).toBe('Welcome');
    expect(
      smtp.state.mails[0]!.to && 'text' in smtp.state.mails[0]!.to
        ? smtp.state.mails[0]!.to.text
        : '',
    ).toBe('ada@example.com');
    const after = await messages();
    const sent = after.find((m) => m.id === failed.id)!;
    expect(sent.status).toBe('sent');
    expect(sent.history.map((h) => h.status)).toEqual(['queued', 'failed', 'queued', 'sent']);
    expect(sent.history[2]!.detail).toContain('retried (was failed: ');
    expect(after.find((m) => m.id !== failed.id)!.status).toBe('skipped');

    const audit = await send(t, 'GET', '/v1/admin/audit?action=message.retry', t.keys.admin);
    const entries = audit.json<{ entries: { route: string; after: { requeued: string[] } }[] }>()
      .entries;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      route: 'rapport messages retry',
      after: { requeued: [failed.id] },
    });
  });

  it('resends messages that failed for a missing setting once it is set, filtered by journey and time', async () => {
    smtp.state.refuse = false;
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, { email: { from: null } });
    await signUp('cy', { email: 'cy@example.com', email_opt_in: true });
    await settle();
    const [m] = await messages();
    expect(m).toMatchObject({
      status: 'failed',
      reason: 'no sender address: set email.from in PUT /v1/admin/settings',
    });
    await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com' },
    });
    const other = await retry('--status', 'failed', '--journey', 'another');
    expect(JSON.parse(other.stdout)).toMatchObject({ requeued: 0 });
    const later = await retry('--status', 'failed', '--since', '2999-01-01T00:00:00Z');
    expect(JSON.parse(later.stdout)).toMatchObject({ requeued: 0 });
    const res = await retry('--status', 'failed,dead', '--journey', 'welcome', '--since', 'P1D');
    expect(JSON.parse(res.stdout)).toMatchObject({ requeued: 1 });
    clock.advance(10 * 60_000);
    await settle();
    expect(smtp.state.mails).toHaveLength(1);
    expect((await messages())[0]!.status).toBe('sent');
  });

  it('refuses statuses that must not be resent, naming the flag', async () => {
    const res = await retry('--status', 'skipped');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('--status: "skipped" cannot be retried');
    const since = await retry('--status', 'failed', '--since', 'yesterday');
    expect(since.stderr).toContain('--since: must be an ISO 8601 date-time');
  });
});
