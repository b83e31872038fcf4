import { describe, expect, it } from 'vitest';
import { validateJourney } from './validate.js';

/** A valid journey to break one piece at a time. */
function base(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'j1',
    name: 'Test',
    trigger: { type: 'event', event: 'Product Added', key: 'properties.cart_id' },
    start: 'wait',
    steps: [
      {
        id: 'wait',
        type: 'wait',
        event: { event: 'Order Completed', key: 'properties.cart_id' },
        timeout: 'PT1H',
        next: { event: 'done', timeout: 'remind' },
      },
      {
        id: 'remind',
        type: 'send',
        channel: 'webhook',
        message: { templateId: 't' },
        next: 'done',
      },
      { id: 'done', type: 'exit' },
    ],
    ...overrides,
  };
}

function problems(input: unknown, options?: Parameters<typeof validateJourney>[1]) {
  const r = validateJourney(input, options);
  if (r.kind === 'ok') throw new Error('expected problems');
  return r.details;
}

const send = (id: string, next: string) => ({
  id,
  type: 'send',
  channel: 'email',
  message: { templateId: 't' },
  next,
});

describe('validateJourney', () => {
  it('accepts a valid journey and applies the defaults', () => {
    const r = validateJourney(base());
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.value).toMatchObject({
      version: 1,
      status: 'active',
      exitOn: [],
      reentry: { policy: 'never', scope: 'key' },
      holdoutPercent: 0,
      timezone: 'UTC',
    });
  });

  it('names unknown step ids in next edges and start, with their paths', () => {
    const steps = base().steps as Record<string, unknown>[];
    const details = problems(
      base({
        start: 'nowhere',
        steps: [{ ...steps[0], next: { event: 'done', timeout: 'gone' } }, steps[1], steps[2]],
      }),
    );
    expect(details).toEqual(
      expect.arrayContaining([
        { path: 'start', problem: 'unknown step id "nowhere"' },
        { path: 'steps.0.next.timeout', problem: 'unknown step id "gone"' },
      ]),
    );
  });

  it('reports duplicate ids', () => {
    const steps = base().steps as unknown[];
    const details = problems(base({ steps: [...steps, { id: 'done', type: 'exit' }] }));
    expect(details).toContainEqual({
      path: 'steps.3.id',
      problem: 'duplicate step id "done" (also steps.2)',
    });
  });

  it('reports unreachable steps', () => {
    const steps = base().steps as unknown[];
    const details = problems(base({ steps: [...steps, send('orphan', 'done')] }));
    expect(details).toEqual([
      { path: 'steps.3', problem: 'step "orphan" is unreachable from start "wait"' },
    ]);
  });

  it('reports a cycle with no wait in it', () => {
    const details = problems(
      base({
        start: 'a',
        steps: [
          send('a', 'b'),
          { id: 'b', type: 'branch', cases: [{ condition: { x: 1 }, next: 'a' }], default: 'c' },
          { id: 'c', type: 'exit' },
        ],
      }),
    );
    expect(details).toHaveLength(1);
    expect(details[0]!.path).toBe('steps.0');
    expect(details[0]!.problem).toContain('steps a -> b -> a form a cycle without a wait');
  });

  it('accepts a cycle through a wait, but not through a wait that may not pause', () => {
    const loop = (wait: Record<string, unknown>) =>
      base({
        start: 'a',
        steps: [
          send('a', 'w'),
          { id: 'w', type: 'wait', ...wait, next: 'b' },
          { id: 'b', type: 'branch', cases: [{ condition: { x: 1 }, next: 'a' }], default: 'c' },
          { id: 'c', type: 'exit' },
        ],
      });
    expect(validateJourney(loop({ duration: 'P7D' })).kind).toBe('ok');
    expect(validateJourney(loop({ until: { time: '09:00' } })).kind).toBe('ok');
    expect(problems(loop({ duration: 'PT0S' }))[0]!.problem).toContain('cycle');
    expect(problems(loop({ until: { weekdays: ['mon'] } }))[0]!.problem).toContain('cycle');
  });

  it('reports a journey without exits and steps that cannot reach one', () => {
    expect(
      problems(
        base({ start: 'w', steps: [{ id: 'w', type: 'wait', duration: 'P1D', next: 'w' }] }),
      ),
    ).toEqual([{ path: 'steps', problem: 'has no exit step: every journey must end in one' }]);
    const details = problems(
      base({
        start: 'b',
        steps: [
          { id: 'b', type: 'branch', cases: [{ condition: {}, next: 'loop' }], default: 'end' },
          { id: 'loop', type: 'wait', duration: 'P1D', next: 'again' },
          send('again', 'loop'),
          { id: 'end', type: 'exit' },
        ],
      }),
    );
    expect(details).toEqual([
      { path: 'steps.1', problem: 'no path from step "loop" reaches an exit step' },
      { path: 'steps.2', problem: 'no path from step "again" reaches an exit step' },
    ]);
  });

  it('reports schema problems with paths, all at once', () => {
    const details = problems(
      base({
        holdoutPercent: 120,
        timezone: 'Mars/Olympus',
        reentry: { policy: 'after' },
        steps: [
          { id: 'wait', type: 'wait', duration: '3 days', next: 'split' },
          {
            id: 'split',
            type: 'split',
            arms: [
              { weight: 1, next: 'done' },
              { weight: 0, next: 'done' },
            ],
          },
          { id: 'done', type: 'exit', colour: 'red' },
        ],
      }),
    );
    const byPath = new Map(details.map((d) => [d.path, d.problem]));
    expect(byPath.get('holdoutPercent')).toMatch(/100/);
    expect(byPath.get('timezone')).toBe('must be an IANA time zone such as Europe/Paris');
    expect(byPath.get('reentry.after')).toBe(
      'is required with policy "after" and only allowed with it',
    );
    expect(byPath.get('steps.0.duration')).toBe(
      '"3 days" is not an ISO 8601 duration such as PT24H, P7D or P1DT12H (weeks, days, hours, minutes and seconds)',
    );
    expect(byPath.get('steps.1.arms.1.weight')).toBe('must be positive');
    expect(byPath.get('steps.2')).toMatch(/colour/);
  });

  it.each([
    [
      'two wait modes',
      { id: 'w', type: 'wait', duration: 'P1D', until: { time: '09:00' }, next: 'done' },
      'steps.0',
      'a wait needs exactly one of duration, until, event (found duration, until)',
    ],
    [
      'an event wait with one next',
      { id: 'w', type: 'wait', event: { event: 'X' }, timeout: 'P1D', next: 'done' },
      'steps.0.next',
      'an event wait needs next: { "event": <step id>, "timeout": <step id> }',
    ],
    [
      'an event wait without timeout',
      { id: 'w', type: 'wait', event: { event: 'X' }, next: { event: 'done', timeout: 'done' } },
      'steps.0.timeout',
      'an event wait needs a timeout',
    ],
    [
      'a zero timeout',
      {
        id: 'w',
        type: 'wait',
        event: { event: 'X' },
        timeout: 'PT0S',
        next: { event: 'done', timeout: 'done' },
      },
      'steps.0.timeout',
      'must be longer than zero',
    ],
    [
      'a bad time of day',
      { id: 'w', type: 'wait', until: { time: '25:00' }, next: 'done' },
      'steps.0.until.time',
      'must be a 24-hour time of day such as 09:00',
    ],
    [
      'a split with one arm',
      { id: 'w', type: 'split', arms: [{ weight: 1, next: 'done' }] },
      'steps.0.arms',
      'needs at least 2 arms',
    ],
    [
      'a url on the email channel',
      { ...send('w', 'done'), url: 'https://example.com' },
      'steps.0.url',
      'only the webhook channel takes a url',
    ],
    [
      'a message with both template and content',
      { ...send('w', 'done'), message: { templateId: 't', content: { subject: 'Hi' } } },
      'steps.0.message',
      'needs exactly one of templateId, content',
    ],
    [
      'an empty profile update',
      { id: 'w', type: 'update_profile', next: 'done' },
      'steps.0',
      'needs set or unset',
    ],
    [
      'a filter with two operators',
      {
        id: 'w',
        type: 'wait',
        event: { event: 'X', where: { 'properties.total': { gt: 1, lt: 5 } } },
        timeout: 'P1D',
        next: { event: 'done', timeout: 'done' },
      },
      'steps.0.event.where.properties.total',
      'needs exactly one operator of eq, neq, in, not_in, gt, gte, lt, lte, exists, contains (found 2)',
    ],
  ])('reports %s', (_name, step, path, problem) => {
    const details = problems(base({ start: 'w', steps: [step, { id: 'done', type: 'exit' }] }));
    expect(details).toContainEqual({ path, problem });
  });

  it('limits the number of steps', () => {
    const steps = Array.from({ length: 201 }, (_, i) =>
      i === 200 ? { id: 'done', type: 'exit' } : send(`s${i}`, i === 199 ? 'done' : `s${i + 1}`),
    );
    expect(problems(base({ start: 's0', steps }))).toContainEqual({
      path: 'steps',
      problem: 'at most 200 steps',
    });
  });

  it('refuses key matchers when the trigger gives no key', () => {
    const details = problems(
      base({
        trigger: { type: 'segment', segmentId: 'lapsed' },
        goal: { event: 'Order Completed', key: 'properties.cart_id' },
        items: {},
      }),
    );
    expect(details).toEqual(
      expect.arrayContaining([
        {
          path: 'goal.key',
          problem: 'matches on the run key, but the trigger gives no key (add trigger.key)',
        },
        {
          path: 'steps.0.event.key',
          problem: 'matches on the run key, but the trigger gives no key (add trigger.key)',
        },
        { path: 'items', problem: 'item tracking needs a trigger with a key' },
      ]),
    );
  });

  it('checks conditions through the injected validator, under their paths', () => {
    const input = base({
      trigger: { type: 'event', event: 'Signed Up', condition: { bad: true } },
      start: 'b',
      steps: [
        {
          id: 'b',
          type: 'branch',
          cases: [{ condition: { trait: 'plan', eq: 'pro' } }, { condition: { nope: 1 } }].map(
            (c) => ({ ...c, next: 'done' }),
          ),
          default: 'done',
        },
        { id: 'done', type: 'exit' },
      ],
    });
    const validateCondition = (c: unknown) =>
      'trait' in (c as object) ? [] : [{ path: 'x', problem: 'unknown condition' }];
    expect(problems(input, { validateCondition })).toEqual([
      { path: 'trigger.condition.x', problem: 'unknown condition' },
      { path: 'steps.0.cases.1.condition.x', problem: 'unknown condition' },
    ]);
    expect(validateJourney(input).kind).toBe('ok');
  });

  it('refuses input that is not JSON or too large', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(problems(cyclic)).toEqual([{ path: '', problem: 'must be plain JSON' }]);
    expect(problems(base({ description: 'x'.repeat(600_000) }))[0]!.problem).toMatch(/larger/);
  });
});
