import { describe, expect, it } from 'vitest';
import { assembleTrace, type TraceInputs } from './assemble.js';

const T = Date.UTC(2026, 0, 5, 12);
const MIN = 60_000;

const inputs: TraceInputs = {
  events: [
    {
      id: 1,
      messageId: 'e1',
      type: 'track',
      event: 'Order Completed',
      timestamp: T,
      properties: {},
    },
    {
      id: 2,
      messageId: 'seg:1',
      type: 'track',
      event: 'Segment Entered',
      timestamp: T,
      properties: { segment_id: 'buyers' },
    },
    {
      id: 3,
      messageId: 'seg:2',
      type: 'track',
      event: 'Segment Exited',
      timestamp: T - MIN, // older than any ordinary event: a scheduled re-check
      properties: { segment_id: 'browsers' },
    },
  ],
  runs: [
    {
      runId: 'r1',
      journeyId: 'thanks',
      holdout: false,
      status: 'completed',
      enteredAt: T,
      endedAt: T + 30 * MIN,
      endReason: 'finished',
      trigger: { event: 'Segment Entered', timestamp: T, messageId: 'seg:1' },
      history: [
        { stepId: 'send_thanks', at: T, outcome: 'sent' },
        { stepId: 'send_tip', at: T + 30 * MIN, outcome: 'sent' },
      ],
    },
  ],
  messages: [
    {
      id: 'm1',
      journeyId: 'thanks',
      runId: 'r1',
      stepId: 'send_thanks',
      channel: 'email',
      kind: 'send',
      topic: 'orders',
      createdAt: T,
      history: [
        { status: 'queued', at: T, detail: null },
        { status: 'queued', at: T + MIN, detail: 'quiet hours' },
        { status: 'capped', at: T + 2 * MIN, detail: 'cap 1 per P1D on email' },
      ],
    },
    {
      id: 'm2',
      journeyId: 'thanks',
      runId: 'r1',
      stepId: 'send_tip',
      channel: 'push',
      kind: 'send',
      topic: null,
      createdAt: T + 30 * MIN,
      history: [{ status: 'skipped', at: T + 31 * MIN, detail: 'channel_denied: push denied' }],
    },
  ],
  extra: [
    {
      id: 'decision:d1',
      at: T,
      kind: 'decision',
      summary: 'Chose offer "free shipping" (policy thompson, propensity 0.4).',
      causeId: 'run:r1:0',
    },
  ],
};

describe('assembleTrace', () => {
  const entries = assembleTrace(inputs);
  const get = (id: string) => entries.find((e) => e.id === id)!;

  it('links each entry to its cause and keeps causes first', () => {
    expect(get('event:2')).toMatchObject({ kind: 'segment_entered', causeId: 'event:1' });
    expect(get('event:2').summary).toBe('Entered segment "buyers" after "Order Completed".');
    expect(get('event:3')).toMatchObject({ kind: 'segment_exited', causeId: null });
    expect(get('event:3').summary).toMatch(/on a scheduled re-check/);
    expect(get('run:r1').causeId).toBe('event:2');
    expect(get('run:r1:1').causeId).toBe('run:r1:0');
    expect(get('message:m1').causeId).toBe('run:r1:0');
    expect(get('message:m2').causeId).toBe('run:r1:1');
    expect(get('run:r1:end')).toMatchObject({ kind: 'journey_ended', causeId: 'run:r1:1' });
    entries.forEach((e, i) => {
      if (e.causeId) expect(entries.findIndex((x) => x.id === e.causeId)).toBeLessThan(i);
    });
    expect(entries[0]!.id).toBe('event:3');
  });

  it('names consent refusals, quiet hours and caps', () => {
    expect(get('message:m1:1')).toMatchObject({ kind: 'delivery_policy' });
    expect(get('message:m1:1').summary).toBe('Held back by a delivery policy (quiet hours).');
    expect(get('message:m1:2').kind).toBe('delivery_policy');
    expect(get('message:m2:0')).toMatchObject({ kind: 'consent_check', causeId: 'message:m2' });
    expect(get('message:m2:0').summary).toBe(
      'Not sent: consent or suppression said no (channel_denied: push denied).',
    );
  });

  it('takes entries from other modules through the hook', () => {
    const decision = get('decision:d1');
    expect(decision).toMatchObject({ kind: 'decision', causeId: 'run:r1:0', refs: {}, detail: {} });
    expect(entries.indexOf(decision)).toBeGreaterThan(entries.indexOf(get('run:r1:0')));
    // A cause that is not in the trace is dropped rather than left dangling.
    const lone = assembleTrace({ ...inputs, extra: [{ ...inputs.extra![0]!, causeId: 'nope' }] });
    expect(lone.find((e) => e.id === 'decision:d1')!.causeId).toBeNull();
  });
});
