import { z } from 'zod';
import { checkIsoDuration, type DurationRules } from '../shared/index.js';

/** Ids of offers and placements: they appear in URLs, templates and the decision log. */
export const DecisionKey = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'must be 1-100 letters, digits, _, . or -');

export const WINDOW_RULES: DurationRules = {
  maxMs: 3650 * 86_400_000,
  maxText: '10 years (P3650D)',
  allowZero: false,
};
export const Window = z.string().superRefine(checkIsoDuration(WINDOW_RULES));

export const OfferKind = z.enum([
  'discount_code',
  'free_shipping',
  'content_block',
  'product_push',
  'no_offer',
]);
export type OfferKind = z.infer<typeof OfferKind>;

export const OfferChannel = z.enum(['email', 'push', 'web']);
export type OfferChannel = z.infer<typeof OfferChannel>;

const Text = z.string().max(5000);
/** What one channel shows: templates read these as `offer.title`, `offer.url`… */
export const ChannelContent = z.strictObject({
  title: Text.optional(),
  body: Text.optional(),
  image: z.string().max(2000).optional(),
  url: z.string().max(2000).optional(),
  cta: z.string().max(200).optional(),
  data: z.record(z.string(), z.json()).optional(),
});
export type ChannelContent = z.infer<typeof ChannelContent>;

const IsoTime = z.iso.datetime({ offset: true });

export const OfferCaps = z.strictObject({
  /** At most `max` decisions of this offer per person within `within`. */
  perPerson: z
    .strictObject({ max: z.number().int().min(1).max(1_000_000), within: Window })
    .optional(),
  /** Once the person redeemed it (code or decision id), never again. */
  neverAfterRedeemed: z.boolean().default(false),
});

export const OfferBudget = z.strictObject({
  /** At most this many decisions in all. */
  count: z.number().int().min(0).max(1e12).optional(),
  /** At most this sum of `value` in all. */
  spend: z.number().min(0).max(1e15).optional(),
});

/** An offer as the API takes it; each PUT stores a new version. */
export const OfferInput = z.strictObject({
  name: z.string().min(1).max(200),
  kind: OfferKind,
  content: z
    .strictObject({
      email: ChannelContent.optional(),
      push: ChannelContent.optional(),
      web: ChannelContent.optional(),
    })
    .default({}),
  /** A condition in the segment rule language, plus `{"context": "path", …}` leaves. */
  eligibility: z.unknown().optional(),
  validFrom: IsoTime.optional(),
  validUntil: IsoTime.optional(),
  /** The channels it may be shown on; all when absent. */
  channels: z.array(OfferChannel).min(1).max(3).optional(),
  /** Not shown to people who said no to this consent topic. */
  consentTopic: z.string().min(1).max(100).optional(),
  /** What one decision spends of the budget (the discount's cost). */
  value: z.number().min(0).max(1e9).default(0),
  margin: z.number().min(-1e9).max(1e9).optional(),
  /** Higher first, for the fixed-priority policy and ties. */
  priority: z.number().int().min(-1_000_000).max(1_000_000).default(0),
  caps: OfferCaps.optional(),
  budget: OfferBudget.optional(),
  /** Each decision hands out one code from the offer's pool (POST /v1/offers/{id}/codes). */
  codes: z.boolean().default(false),
});
export type OfferInput = z.output<typeof OfferInput>;

export const CreateOffer = OfferInput.extend({ id: DecisionKey });

export const Offer = OfferInput.extend({
  id: z.string(),
  version: z.number().int(),
  spent: z.object({ count: z.number(), amount: z.number() }),
  codesFree: z.number().int().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Offer = z.infer<typeof Offer>;

export const OfferList = z.object({ offers: z.array(Offer) });

export const CodesInput = z.strictObject({
  codes: z
    .array(z.string().min(1).max(200).regex(/^\S+$/, 'must not contain spaces'))
    .min(1)
    .max(100_000),
});
export const CodesResult = z.object({
  imported: z.number().int(),
  duplicates: z.number().int(),
  free: z.number().int(),
});
export type CodesResult = z.infer<typeof CodesResult>;
