import { z } from 'zod';
import type { JourneyDefinition, JourneyDefinitionInput } from '../definition.js';
import { Duration } from '../duration.js';
import type { EventFilter } from '../event-filter.js';
import { LocalTimeOfDay } from '../local-time.js';
import { commonParams, finish, header, sendStep, webhookUrlNeedsWebhook } from './common.js';

const alertParams = {
  ...commonParams,
  interestEvents: z
    .array(z.string().min(1).max(200))
    .min(1)
    .max(10)
    .default(['Product Viewed', 'Product Added'])
    .describe('What counts as interest in the item'),
  interestWindow: Duration.default('P30D').describe('How recent the interest must be'),
  sendAt: LocalTimeOfDay.optional().describe(
    "Hold the alert until this local time of day in the person's zone (default: at once)",
  ),
  reentryAfter: Duration.default('P7D').describe(
    'At most one alert per person and item in this period (from the previous entry)',
  ),
};

export const PriceDropParams = z
  .strictObject({
    ...alertParams,
    minDropPercent: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe(
        'Only drops of at least this percent (properties.drop_percent of the catalog event)',
      ),
    templateId: z.string().min(1).default('price_drop_alert'),
  })
  .superRefine(webhookUrlNeedsWebhook);
export type PriceDropParams = z.input<typeof PriceDropParams>;

export const BackInStockParams = z
  .strictObject({ ...alertParams, templateId: z.string().min(1).default('back_in_stock_alert') })
  .superRefine(webhookUrlNeedsWebhook);
export type BackInStockParams = z.input<typeof BackInStockParams>;

type AlertParams = z.output<typeof BackInStockParams>;

function alert(
  p: AlertParams,
  id: string,
  name: string,
  description: string,
  event: string,
  where: EventFilter | undefined,
): JourneyDefinition {
  const steps: JourneyDefinitionInput['steps'] = [];
  if (p.sendAt !== undefined) {
    steps.push({
      id: 'wait_send_time',
      type: 'wait',
      until: { time: p.sendAt },
      next: 'send_alert',
    });
  }
  steps.push(sendStep(p, 'send_alert', p.templateId, 'done', { topic: 'offers' }));
  steps.push({ id: 'done', type: 'exit', reason: 'alerted' });
  return finish({
    ...header(p, id, name, description),
    trigger: {
      type: 'catalog',
      event,
      key: 'properties.product_id',
      ...(where ? { where } : {}),
      interest: {
        events: p.interestEvents,
        within: p.interestWindow,
        path: 'properties.product_id',
      },
    },
    start: steps[0]!.id,
    steps,
    goal: { event: 'Order Completed' },
    reentry: { policy: 'after', after: p.reentryAfter, scope: 'key' },
    // The item itself, so the alert can show it as a product card (message.items).
    items: { addOn: [event] },
  });
}

/**
 * Price drop: on the catalog event `Product Price Dropped` (keyed by
 * `properties.product_id`), alert the people who did one of `interestEvents` on that
 * product within `interestWindow` (checked through the condition environment), at
 * `sendAt` local time if given.
 */
export function priceDrop(params: PriceDropParams = {}): JourneyDefinition {
  const p = PriceDropParams.parse(params);
  return alert(
    p,
    'price_drop',
    'Price drop',
    'Tell people who showed interest in an item that its price dropped.',
    'Product Price Dropped',
    p.minDropPercent !== undefined
      ? { 'properties.drop_percent': { gte: p.minDropPercent } }
      : undefined,
  );
}

/** Back in stock: as price drop, on the catalog event `Product Back In Stock`. */
export function backInStock(params: BackInStockParams = {}): JourneyDefinition {
  const p = BackInStockParams.parse(params);
  return alert(
    p,
    'back_in_stock',
    'Back in stock',
    'Tell people who showed interest in an item that it is available again.',
    'Product Back In Stock',
    undefined,
  );
}
