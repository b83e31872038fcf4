import { z } from 'zod';
import type { JourneyDefinition, JourneyDefinitionInput } from '../definition.js';
import { Duration, durationMs } from '../duration.js';
import { commonParams, finish, header, sendStep, webhookUrlNeedsWebhook } from './common.js';

export const CartAbandonmentParams = z
  .strictObject({
    ...commonParams,
    delay: Duration.default('PT1H').describe(
      'How long to wait for the order before reminding (e.g. PT1H, PT3S)',
    ),
    templateId: z
      .string()
      .min(1)
      .default('cart_abandonment_reminder')
      .describe('Reminder template'),
    conversionWindow: Duration.default('P3D').describe(
      'How long after the reminder an order of the cart still counts as a conversion (PT0S: none)',
    ),
  })
  .superRefine(webhookUrlNeedsWebhook);
export type CartAbandonmentParams = z.input<typeof CartAbandonmentParams>;

/**
 * Cart abandonment: trigger `Product Added` keyed by `properties.cart_id`; wait for
 * `Order Completed` with the same cart id for `delay`; if it does not come, send the
 * reminder with the cart's products (kept from the cart's `Product Added` and
 * `Product Removed` events) on `channel`; the order ends the run as converted, before or
 * (within `conversionWindow`) after the reminder. One run per cart.
 *
 * @example cartAbandonment({ delay: 'PT1H', channel: 'webhook', webhookUrl: 'https://example.com/hook' })
 */
export function cartAbandonment(params: CartAbandonmentParams): JourneyDefinition {
  const p = CartAbandonmentParams.parse(params);
  const afterReminder = durationMs(p.conversionWindow) > 0 ? 'conversion_window' : 'done';
  const steps: JourneyDefinitionInput['steps'] = [
    {
      id: 'wait_for_order',
      type: 'wait',
      event: { event: 'Order Completed', key: 'properties.cart_id' },
      timeout: p.delay,
      next: { event: 'ordered', timeout: 'send_reminder' },
    },
    sendStep(p, 'send_reminder', p.templateId, afterReminder, { topic: 'cart' }),
    ...(afterReminder === 'conversion_window'
      ? [
          {
            id: 'conversion_window',
            type: 'wait' as const,
            duration: p.conversionWindow,
            next: 'done',
          },
        ]
      : []),
    { id: 'ordered', type: 'exit', reason: 'order_completed' },
    { id: 'done', type: 'exit', reason: 'reminded' },
  ];
  return finish({
    ...header(
      p,
      'cart_abandonment',
      'Cart abandonment',
      'Remind people of the cart they left, with its products.',
    ),
    trigger: { type: 'event', event: 'Product Added', key: 'properties.cart_id' },
    start: 'wait_for_order',
    steps,
    goal: { event: 'Order Completed', key: 'properties.cart_id' },
    reentry: { policy: 'never', scope: 'key' },
    items: { addOn: ['Product Added'], removeOn: ['Product Removed'] },
  });
}
