import { z } from 'zod';
import { Duration, parseDuration } from './duration.js';
import { EventMatcher } from './event-filter.js';
import { LocalTimeOfDay, Weekday } from './local-time.js';
import { Condition } from './triggers.js';

export const StepId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');

const Base = { id: StepId, name: z.string().max(200).optional() };

/**
 * Pauses the run. Exactly one of: `duration` (elapsed time), `until` (a local time of day
 * and/or weekday in the person's zone), `event` (until that event comes, at most
 * `timeout`; `next` is then `{ event, timeout }`).
 */
export const WaitStep = z
  .strictObject({
    ...Base,
    type: z.literal('wait'),
    duration: Duration.optional(),
    until: z
      .strictObject({
        time: LocalTimeOfDay.optional(),
        weekdays: z.array(Weekday).min(1).max(7).optional(),
      })
      .refine((u) => u.time !== undefined || u.weekdays !== undefined, {
        message: 'needs a time, weekdays or both',
      })
      .optional(),
    event: EventMatcher.optional(),
    timeout: Duration.optional(),
    next: z.union([StepId, z.strictObject({ event: StepId, timeout: StepId })]),
  })
  .superRefine((w, ctx) => {
    const modes = (['duration', 'until', 'event'] as const).filter((k) => w[k] !== undefined);
    if (modes.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a wait needs exactly one of duration, until, event (found ${modes.length ? modes.join(', ') : 'none'})`,
      });
      return;
    }
    if (w.event !== undefined) {
      const timeout = w.timeout === undefined ? null : parseDuration(w.timeout);
      if (timeout?.kind === 'ok' && timeout.ms === 0)
        ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'must be longer than zero' });
      if (w.timeout === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['timeout'],
          message: 'an event wait needs a timeout',
        });
      if (typeof w.next === 'string')
        ctx.addIssue({
          code: 'custom',
          path: ['next'],
          message: 'an event wait needs next: { "event": <step id>, "timeout": <step id> }',
        });
    } else {
      if (w.timeout !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['timeout'],
          message: 'only an event wait has a timeout',
        });
      if (typeof w.next !== 'string')
        ctx.addIssue({ code: 'custom', path: ['next'], message: 'must be one step id' });
    }
  });

/** Takes the first case whose condition holds, else `default`. */
export const BranchStep = z.strictObject({
  ...Base,
  type: z.literal('branch'),
  cases: z
    .array(
      z.strictObject({ name: z.string().max(200).optional(), condition: Condition, next: StepId }),
    )
    .min(1)
    .max(20),
  default: StepId,
});

/** Sends each person down one arm, in proportion to the weights, by a hash of the person (the same arm on every visit). */
export const SplitStep = z.strictObject({
  ...Base,
  type: z.literal('split'),
  arms: z
    .array(
      z.strictObject({
        name: z.string().max(200).optional(),
        weight: z.number().positive('must be positive').max(1_000_000),
        next: StepId,
      }),
    )
    .min(2, 'needs at least 2 arms')
    .max(10),
});

export const Channel = z.enum(['webhook', 'email', 'push']);
export type Channel = z.infer<typeof Channel>;

/** A send step's channel: one channel, or `preferred` (the person's, see `fallback`). */
export const SendChannel = z.enum(['webhook', 'email', 'push', 'preferred']);
export type SendChannel = z.infer<typeof SendChannel>;

/** Where `preferred` falls back to, in order, when a step names no `fallback`. */
export const DEFAULT_FALLBACK: readonly Channel[] = ['email', 'push'];

/** A message: a stored template by id, or inline content (subject, text, html, title, body, data...). */
export const Message = z
  .strictObject({
    templateId: z.string().min(1).max(200).optional(),
    content: z.record(z.string(), z.json()).optional(),
  })
  .refine((m) => (m.templateId === undefined) !== (m.content === undefined), {
    message: 'needs exactly one of templateId, content',
  });
export type Message = z.infer<typeof Message>;

// `{{ path }}` placeholders (spaces allowed inside the braces) are filled at send time.
const HttpUrl = z
  .string()
  .max(2000)
  .regex(
    /^https?:\/\/(?:[^\s{}]|\{\{\s*[A-Za-z0-9_.$-]+\s*\}\})+$/,
    'must be an http:// or https:// URL',
  );

export const SendStep = z
  .strictObject({
    ...Base,
    type: z.literal('send'),
    channel: SendChannel,
    /**
     * With `channel: "preferred"`: the channels the message may go out on, in order. The
     * person's preferred channel (the `preferred_channel` computed trait) goes first when
     * it is one of them and reaches them; otherwise the first of these that does.
     */
    fallback: z
      .array(Channel)
      .min(1)
      .max(3)
      .refine((l) => new Set(l).size === l.length, 'must not repeat a channel')
      .optional(),
    message: Message,
    /** The consent topic the message belongs to (newsletter, offers...). */
    topic: z.string().min(1).max(100).optional(),
    priority: z.enum(['low', 'normal', 'high']).default('normal'),
    /** Destination for the webhook channel; the workspace's webhook URL when absent. */
    url: HttpUrl.optional(),
    /**
     * When to deliver: at the person's best hour (from their engagement) within the
     * window, and what to do in quiet hours (the workspace's choice when absent).
     */
    timing: z
      .strictObject({
        bestHourWithin: Duration.optional(),
        quietHours: z.enum(['defer', 'drop']).optional(),
      })
      .optional(),
    next: StepId,
  })
  .refine(
    (s) =>
      s.url === undefined ||
      s.channel === 'webhook' ||
      (s.channel === 'preferred' && (s.fallback ?? []).includes('webhook')),
    { path: ['url'], message: 'only the webhook channel takes a url' },
  )
  .refine((s) => s.fallback === undefined || s.channel === 'preferred', {
    path: ['fallback'],
    message: 'only channel "preferred" takes a fallback',
  });

export const UpdateProfileStep = z
  .strictObject({
    ...Base,
    type: z.literal('update_profile'),
    set: z.record(z.string().min(1).max(200), z.json()).optional(),
    unset: z.array(z.string().min(1).max(200)).max(100).optional(),
    next: StepId,
  })
  .refine((s) => Object.keys(s.set ?? {}).length + (s.unset?.length ?? 0) > 0, {
    message: 'needs set or unset',
  });

/**
 * An HTTP call with the person's data. String values in `body` and `headers` may hold
 * `{{ path }}` placeholders over `{ profile, trigger, items, key, run }`.
 */
export const WebhookStep = z.strictObject({
  ...Base,
  type: z.literal('webhook'),
  url: HttpUrl,
  method: z.enum(['POST', 'PUT', 'PATCH', 'GET', 'DELETE']).default('POST'),
  headers: z.record(z.string().min(1).max(200), z.string().max(2000)).optional(),
  body: z.json().optional(),
  next: StepId,
});

/**
 * Chooses an offer at a decision point (a placement, by name): the decision the API and
 * `{% offer %}` make, logged once per step visit and kept on the run, so a later send's
 * `{% offer placement: … %}` shows that same offer and code instead of deciding again.
 * `context` is what eligibility and contextual policies read (`{"channel": "email"}`…).
 */
export const DecideStep = z.strictObject({
  ...Base,
  type: z.literal('decide'),
  placement: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'must be a placement name (letters, digits, _ . : -)'),
  context: z.record(z.string().max(100), z.json()).optional(),
  next: StepId,
});

export const ExitStep = z.strictObject({
  ...Base,
  type: z.literal('exit'),
  reason: z.string().min(1).max(200).optional(),
});

export const Step = z.discriminatedUnion('type', [
  WaitStep,
  BranchStep,
  SplitStep,
  SendStep,
  UpdateProfileStep,
  WebhookStep,
  DecideStep,
  ExitStep,
]);
export type Step = z.infer<typeof Step>;
export type WaitStep = z.infer<typeof WaitStep>;
export type BranchStep = z.infer<typeof BranchStep>;
export type SplitStep = z.infer<typeof SplitStep>;
export type SendStep = z.infer<typeof SendStep>;
export type UpdateProfileStep = z.infer<typeof UpdateProfileStep>;
export type WebhookStep = z.infer<typeof WebhookStep>;
export type DecideStep = z.infer<typeof DecideStep>;
export type ExitStep = z.infer<typeof ExitStep>;
export type StepType = Step['type'];

/** The ids a step can go to next, with the JSON path (relative to the step) of each edge. */
export function edgesOf(step: Step): { to: string; path: (string | number)[] }[] {
  switch (step.type) {
    case 'wait':
      return typeof step.next === 'string'
        ? [{ to: step.next, path: ['next'] }]
        : [
            { to: step.next.event, path: ['next', 'event'] },
            { to: step.next.timeout, path: ['next', 'timeout'] },
          ];
    case 'branch':
      return [
        ...step.cases.map((c, i) => ({ to: c.next, path: ['cases', i, 'next'] })),
        { to: step.default, path: ['default'] },
      ];
    case 'split':
      return step.arms.map((a, i) => ({ to: a.next, path: ['arms', i, 'next'] }));
    case 'exit':
      return [];
    default:
      return [{ to: step.next, path: ['next'] }];
  }
}
