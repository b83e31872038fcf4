import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { redactContacts } from '../shared/index.js';
import { DeliveryLog, reasonCode } from './delivery-log.js';
import type { ClaimedMessage } from './sender.js';

const message: ClaimedMessage = {
  id: 'msg_1',
  workspaceId: 'default',
  profileId: 'prof_1',
  journeyId: 'welcome',
  runId: null,
  stepId: null,
  idempotencyKey: 'k',
  channel: 'email',
  topic: null,
  attempts: 1,
  kind: 'send',
  payload: { message: {} },
};

function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (l: string) => lines.push(JSON.parse(l)) });
  return { lines, logger };
}

describe('DeliveryLog', () => {
  it('writes a budget of lines per event and minute, then counts the rest in one summary', () => {
    let at = 0;
    const clock = { now: () => at };
    const { lines, logger } = capture();
    const log = new DeliveryLog(logger, clock, 2);
    for (let i = 0; i < 5; i++) log.outcome(message, { kind: 'sent' }, 'sent', 3);
    log.outcome(message, { kind: 'failed', error: 'boom' }, 'failed', 3);
    log.summary();
    log.summary(); // nothing held since: no second summary
    expect(lines.map((l) => l.event)).toEqual([
      'message.sent',
      'message.sent',
      'message.failed',
      'message.log_summary',
    ]);
    expect(lines.at(-1)).toMatchObject({ held: { 'message.sent': 3 } });
    at += 60_000;
    log.outcome(message, { kind: 'sent' }, 'sent', 3);
    expect(lines.at(-1)).toMatchObject({ event: 'message.sent', journeyId: 'welcome' });
  });

  it('logs nothing, and spends no budget, below the logger level', () => {
    const { lines, logger } = capture('warn');
    const log = new DeliveryLog(logger, { now: () => 0 }, 1);
    log.outcome(message, { kind: 'sent' }, 'sent', 3);
    log.outcome(message, { kind: 'defer', at: 0, reason: 'quiet hours' }, 'queued', 3);
    log.summary();
    expect(lines).toEqual([]);
  });

  it.each([
    [
      { kind: 'skipped', reason: 'quiet_hours: dropped, it fell in the quiet hours' },
      'quiet_hours',
    ],
    [
      { kind: 'skipped', reason: 'global_control: the person is in the global control group' },
      'global_control',
    ],
    [{ kind: 'capped', reason: 'cap 1 per P1D on email' }, 'frequency_cap'],
    [{ kind: 'skipped', reason: 'Something else entirely' }, 'other'],
  ] as const)('reads the reason code of %o', (outcome, code) => {
    expect(reasonCode(outcome)).toBe(code);
  });

  it('takes addresses out of free text and caps its length', () => {
    expect(redactContacts('550 5.1.1 <ann.b+x@mail.example.org>: no such user')).toBe(
      '550 5.1.1 <[email]>: no such user',
    );
    expect(redactContacts('to ann@x.test, bob@y.test')).toBe('to [email], [email]');
    expect(redactContacts('x'.repeat(400))).toHaveLength(301);
  });
});
