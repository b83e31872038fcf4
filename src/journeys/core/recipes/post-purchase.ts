import { z } from 'zod';
import type { JourneyDefinition } from '../definition.js';
import { Duration } from '../duration.js';
import { commonParams, finish, header, sendStep, webhookUrlNeedsWebhook } from './common.js';

export const PostPurchaseParams = z
  .strictObject({
    ...commonParams,
    reviewDelay: Duration.default('P7D').describe('From the thanks to the review request'),
    complementaryDelay: Duration.default('P7D').describe(
      'From the review request to the complementary products',
    ),
    thanksTemplateId: z.string().min(1).default('post_purchase_thanks'),
    reviewTemplateId: z.string().min(1).default('post_purchase_review'),
    complementaryTemplateId: z
      .string()
      .min(1)
      .default('post_purchase_complementary')
      .describe('Renders recommendations bought together with the order items'),
  })
  .superRefine(webhookUrlNeedsWebhook);
export type PostPurchaseParams = z.input<typeof PostPurchaseParams>;

/**
 * Post-purchase: on `Order Completed` (one run per `properties.order_id`), thank at once,
 * ask for a review after `reviewDelay`, suggest complementary products after
 * `complementaryDelay`. The order's products are in the run's items for every message;
 * an `Order Refunded` for the order stops the run.
 */
export function postPurchase(params: PostPurchaseParams = {}): JourneyDefinition {
  const p = PostPurchaseParams.parse(params);
  return finish({
    ...header(
      p,
      'post_purchase',
      'Post-purchase',
      'Thank, ask for a review, then suggest complementary products.',
    ),
    trigger: { type: 'event', event: 'Order Completed', key: 'properties.order_id' },
    start: 'thanks',
    steps: [
      sendStep(p, 'thanks', p.thanksTemplateId, 'wait_review', {
        topic: 'order',
        priority: 'high',
      }),
      { id: 'wait_review', type: 'wait', duration: p.reviewDelay, next: 'review_request' },
      sendStep(p, 'review_request', p.reviewTemplateId, 'wait_complementary', { topic: 'reviews' }),
      {
        id: 'wait_complementary',
        type: 'wait',
        duration: p.complementaryDelay,
        next: 'complementary',
      },
      sendStep(p, 'complementary', p.complementaryTemplateId, 'done', {
        topic: 'offers',
        priority: 'low',
      }),
      { id: 'done', type: 'exit', reason: 'series_sent' },
    ],
    exitOn: [{ event: 'Order Refunded', key: 'properties.order_id' }],
    reentry: { policy: 'never', scope: 'key' },
  });
}
