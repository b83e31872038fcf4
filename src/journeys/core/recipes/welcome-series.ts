import { z } from 'zod';
import type { JourneyDefinition, JourneyDefinitionInput } from '../definition.js';
import { Duration, durationMs } from '../duration.js';
import { commonParams, finish, header, sendStep, webhookUrlNeedsWebhook } from './common.js';

export const WelcomeSeriesParams = z
  .strictObject({
    ...commonParams,
    triggerEvent: z
      .string()
      .min(1)
      .max(200)
      .default('Signed Up')
      .describe('The event that starts the series'),
    messages: z
      .array(
        z.strictObject({
          after: Duration.describe(
            'Wait before this message, counted from the previous one (PT0S: at once)',
          ),
          templateId: z.string().min(1),
        }),
      )
      .min(1)
      .max(10)
      .default([
        { after: 'PT0S', templateId: 'welcome_1' },
        { after: 'P2D', templateId: 'welcome_2' },
        { after: 'P5D', templateId: 'welcome_3' },
      ])
      .describe('The messages in order'),
    goalEvent: z.string().min(1).max(200).default('Order Completed').describe('Conversion event'),
  })
  .superRefine(webhookUrlNeedsWebhook);
export type WelcomeSeriesParams = z.input<typeof WelcomeSeriesParams>;

/**
 * Welcome series: on `triggerEvent` (once per person), send each message after its
 * delay; the goal event (first order) ends the series as converted.
 */
export function welcomeSeries(params: WelcomeSeriesParams = {}): JourneyDefinition {
  const p = WelcomeSeriesParams.parse(params);
  const steps: JourneyDefinitionInput['steps'] = [];
  p.messages.forEach((m, i) => {
    const send = `send_${i + 1}`;
    const next = i + 1 < p.messages.length ? firstStepOf(p.messages[i + 1]!, i + 1) : 'done';
    if (durationMs(m.after) > 0)
      steps.push({ id: `wait_${i + 1}`, type: 'wait', duration: m.after, next: send });
    steps.push(sendStep(p, send, m.templateId, next, { topic: 'onboarding' }));
  });
  steps.push({ id: 'done', type: 'exit', reason: 'series_sent' });
  return finish({
    ...header(
      p,
      'welcome_series',
      'Welcome series',
      'Welcome new people with a short series of messages.',
    ),
    trigger: { type: 'event', event: p.triggerEvent },
    start: firstStepOf(p.messages[0]!, 0),
    steps,
    goal: { event: p.goalEvent },
    reentry: { policy: 'never', scope: 'profile' },
  });
}

function firstStepOf(m: { after: string }, i: number): string {
  return durationMs(m.after) > 0 ? `wait_${i + 1}` : `send_${i + 1}`;
}
