import { z } from 'zod';
import type { JourneyDefinition } from '../definition.js';
import { Duration } from '../duration.js';
import { EventFilter } from '../event-filter.js';
import { commonParams, finish, header, sendStep, webhookUrlNeedsWebhook } from './common.js';

export const ReplenishmentParams = z
  .strictObject({
    ...commonParams,
    cycle: Duration.default('P30D').describe('How long a purchase lasts: remind when it runs out'),
    where: EventFilter.optional().describe(
      'Filters on the Order Completed event, e.g. {"properties.category": {"eq": "coffee"}}',
    ),
    templateId: z.string().min(1).default('replenishment_reminder'),
  })
  .superRefine(webhookUrlNeedsWebhook);
export type ReplenishmentParams = z.input<typeof ReplenishmentParams>;

/**
 * Replenishment: after an `Order Completed` (optionally filtered), wait one `cycle` for
 * the next order; if none comes, remind with the products bought. The next order is the
 * goal and, once that run has ended, starts a new cycle.
 */
export function replenishment(params: ReplenishmentParams = {}): JourneyDefinition {
  const p = ReplenishmentParams.parse(params);
  return finish({
    ...header(
      p,
      'replenishment',
      'Replenishment',
      'Remind people to reorder when what they bought runs out.',
    ),
    trigger: {
      type: 'event',
      event: 'Order Completed',
      key: 'properties.order_id',
      ...(p.where ? { where: p.where } : {}),
    },
    start: 'wait_for_reorder',
    steps: [
      {
        id: 'wait_for_reorder',
        type: 'wait',
        event: { event: 'Order Completed' },
        timeout: p.cycle,
        next: { event: 'reordered', timeout: 'remind' },
      },
      sendStep(p, 'remind', p.templateId, 'done', { topic: 'reminders' }),
      { id: 'reordered', type: 'exit', reason: 'reordered' },
      { id: 'done', type: 'exit', reason: 'reminded' },
    ],
    goal: { event: 'Order Completed' },
    reentry: { policy: 'always', scope: 'profile' },
  });
}
