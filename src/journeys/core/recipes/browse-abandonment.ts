import { z } from 'zod';
import type { JourneyDefinition } from '../definition.js';
import { Duration } from '../duration.js';
import { commonParams, finish, header, sendStep, webhookUrlNeedsWebhook } from './common.js';

export const BrowseAbandonmentParams = z
  .strictObject({
    ...commonParams,
    delay: Duration.default('PT2H').describe(
      'How long to wait for the product to be added to a cart',
    ),
    templateId: z.string().min(1).default('browse_abandonment').describe('Reminder template'),
    reentryAfter: Duration.default('P7D').describe(
      'A person enters at most once in this period (counted from the previous entry)',
    ),
  })
  .superRefine(webhookUrlNeedsWebhook);
export type BrowseAbandonmentParams = z.input<typeof BrowseAbandonmentParams>;

/**
 * Browse abandonment: `Product Viewed` keyed by `properties.product_id`; if the same
 * product is not added to a cart within `delay`, send a reminder with it. An order is
 * the goal; a person enters at most once per `reentryAfter`.
 */
export function browseAbandonment(params: BrowseAbandonmentParams = {}): JourneyDefinition {
  const p = BrowseAbandonmentParams.parse(params);
  return finish({
    ...header(
      p,
      'browse_abandonment',
      'Browse abandonment',
      'Remind people of a product they looked at but did not add to a cart.',
    ),
    trigger: { type: 'event', event: 'Product Viewed', key: 'properties.product_id' },
    start: 'wait_for_add',
    steps: [
      {
        id: 'wait_for_add',
        type: 'wait',
        event: { event: 'Product Added', key: 'properties.product_id' },
        timeout: p.delay,
        next: { event: 'added', timeout: 'send_reminder' },
      },
      sendStep(p, 'send_reminder', p.templateId, 'done', { topic: 'browse', priority: 'low' }),
      { id: 'added', type: 'exit', reason: 'added_to_cart' },
      { id: 'done', type: 'exit', reason: 'reminded' },
    ],
    goal: { event: 'Order Completed' },
    reentry: { policy: 'after', after: p.reentryAfter, scope: 'profile' },
  });
}
