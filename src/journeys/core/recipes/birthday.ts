import { z } from 'zod';
import type { JourneyDefinition } from '../definition.js';
import { LocalTimeOfDay } from '../local-time.js';
import { commonParams, finish, header, sendStep, webhookUrlNeedsWebhook } from './common.js';

export const BirthdayParams = z
  .strictObject({
    ...commonParams,
    trait: z
      .string()
      .min(1)
      .max(200)
      .default('birthday')
      .describe(
        'Date trait: YYYY-MM-DD, --MM-DD, MM-DD or an ISO date-time (signed_up_at for anniversaries)',
      ),
    at: LocalTimeOfDay.default('09:00').describe("Local time of day in the person's time zone"),
    templateId: z.string().min(1).default('birthday_greeting'),
  })
  .superRefine(webhookUrlNeedsWebhook);
export type BirthdayParams = z.input<typeof BirthdayParams>;

/**
 * Birthday (or any date-trait anniversary): every year on the trait's month and day at
 * `at` local time, send a greeting. The key is the occurrence date, so once a year.
 */
export function birthday(params: BirthdayParams = {}): JourneyDefinition {
  const p = BirthdayParams.parse(params);
  return finish({
    ...header(p, 'birthday', 'Birthday', 'Wish people a happy birthday at a good local time.'),
    trigger: { type: 'date', trait: p.trait, at: p.at },
    start: 'greet',
    steps: [
      sendStep(p, 'greet', p.templateId, 'done', { topic: 'offers' }),
      { id: 'done', type: 'exit', reason: 'greeted' },
    ],
    reentry: { policy: 'never', scope: 'key' },
  });
}
