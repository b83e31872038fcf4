import { z } from 'zod';
import { ChannelContent, OfferChannel, OfferKind } from './offer.js';

/** What `POST /v1/decide` takes. */
export const DecideInput = z
  .strictObject({
    placement: z.string().min(1).max(100),
    userId: z.string().min(1).max(400).optional(),
    anonymousId: z.string().min(1).max(400).optional(),
    /** Request context eligibility and contextual policies read (device, hour, page…). */
    context: z.record(z.string(), z.json()).default({}),
    /** The channel the offer is shown on: offers limited to other channels are skipped. */
    channel: OfferChannel.optional(),
    /**
     * A preview: the offer this person would get now, with nothing logged, spent, claimed
     * or recorded (no exposure, no budget, no code, no experiment arm). Not for public keys.
     */
    dryRun: z.boolean().default(false),
  })
  .refine((d) => d.userId !== undefined || d.anonymousId !== undefined, {
    path: ['userId'],
    message: 'needs userId or anonymousId',
  });
export type DecideInput = z.output<typeof DecideInput>;

/** The chosen offer as callers and templates read it. */
export const DecidedOfferView = z.object({
  id: z.string(),
  name: z.string(),
  kind: OfferKind,
  version: z.number().int(),
  value: z.number(),
  /** The unique coupon code handed out with this decision, when the offer has a pool. */
  code: z.string().nullable(),
  content: z.record(z.string(), ChannelContent),
});
export type DecidedOfferView = z.infer<typeof DecidedOfferView>;

export const DecideResult = z.object({
  decisionId: z.string(),
  placement: z.string(),
  /** Null only when the placement's default offer itself is gone. */
  offer: DecidedOfferView.nullable(),
  /** The probability the policy chose this offer with (1 for the default and holdout). */
  propensity: z.number(),
  policy: z.object({ kind: z.string(), version: z.number().int() }),
  /** The offer's version. */
  version: z.number().int(),
  holdout: z.boolean(),
  /** Why: `holdout`, `no_eligible_offer`, `not_personalized`, `excluded:<offer>:<why>`… */
  reasons: z.array(z.string()),
});
export type DecideResult = z.infer<typeof DecideResult>;

/** A dry run's answer: the same choice, but no decision was logged, so it has no id. */
export const DecidePreview = DecideResult.extend({
  decisionId: z.null(),
  dryRun: z.literal(true),
});
export type DecidePreview = z.infer<typeof DecidePreview>;
