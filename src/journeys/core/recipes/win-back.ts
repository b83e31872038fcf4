import { z } from 'zod';
import type { JourneyDefinition } from '../definition.js';
import { Duration } from '../duration.js';
import { commonParams, finish, header, sendStep, webhookUrlNeedsWebhook } from './common.js';

export const WinBackParams = z
  .strictObject({
    ...commonParams,
    segmentId: z
      .string()
      .min(1)
      .max(200)
      .describe('The lapsed / at-risk segment whose entry starts the journey'),
    followUpAfter: Duration.default('P7D').describe('Wait for an order before the second message'),
    firstTemplateId: z.string().min(1).default('win_back_miss_you'),
    secondTemplateId: z.string().min(1).default('win_back_incentive'),
    reentryAfter: Duration.default('P90D').describe('Earliest re-entry after a previous win-back'),
  })
  .superRefine(webhookUrlNeedsWebhook);
export type WinBackParams = z.input<typeof WinBackParams>;

/**
 * Win-back: when a person enters `segmentId`, send a "we miss you"; if no order comes
 * within `followUpAfter`, send an incentive. An order is the goal.
 */
export function winBack(params: WinBackParams): JourneyDefinition {
  const p = WinBackParams.parse(params);
  return finish({
    ...header(
      p,
      'win_back',
      'Win-back',
      'Bring lapsed customers back with a reminder, then an incentive.',
    ),
    trigger: { type: 'segment', segmentId: p.segmentId, on: 'entered' },
    start: 'miss_you',
    steps: [
      sendStep(p, 'miss_you', p.firstTemplateId, 'wait_for_order', { topic: 'offers' }),
      {
        id: 'wait_for_order',
        type: 'wait',
        event: { event: 'Order Completed' },
        timeout: p.followUpAfter,
        next: { event: 'won_back', timeout: 'incentive' },
      },
      sendStep(p, 'incentive', p.secondTemplateId, 'done', { topic: 'offers' }),
      { id: 'won_back', type: 'exit', reason: 'ordered' },
      { id: 'done', type: 'exit', reason: 'series_sent' },
    ],
    goal: { event: 'Order Completed' },
    reentry: { policy: 'after', after: p.reentryAfter, scope: 'profile' },
  });
}
