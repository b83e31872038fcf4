import { z } from 'zod';
import { JourneyDefinition, type JourneyDefinitionInput } from '../definition.js';
import { SendChannel } from '../steps.js';

/** Parameters every recipe takes. */
export const commonParams = {
  /** The journey id; the recipe's id when absent. */
  journeyId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be 1-100 letters, digits, _ or -')
    .optional()
    .describe('Journey id (default: the recipe id)'),
  name: z.string().min(1).max(200).optional().describe('Journey name'),
  channel: SendChannel.default('webhook').describe(
    "Channel of every message: webhook, email, push, or preferred (the person's, else e-mail, then push)",
  ),
  webhookUrl: z
    .string()
    .max(2000)
    .regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL')
    .optional()
    .describe('Webhook channel destination (default: the workspace webhook)'),
  holdoutPercent: z
    .number()
    .min(0)
    .max(100)
    .default(0)
    .describe('Percent of people enrolled but never messaged, to measure lift'),
};

/** Refuses a webhook URL with another channel, where it would be silently ignored. */
export function webhookUrlNeedsWebhook(
  p: { channel: string; webhookUrl?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (p.webhookUrl !== undefined && p.channel !== 'webhook') {
    ctx.addIssue({
      code: 'custom',
      path: ['webhookUrl'],
      message: 'only applies to channel "webhook"',
    });
  }
}

export interface CommonParams {
  journeyId?: string | undefined;
  name?: string | undefined;
  channel: SendChannel;
  webhookUrl?: string | undefined;
  holdoutPercent: number;
}

/** A send step on the template's channel. */
export function sendStep(
  p: CommonParams,
  id: string,
  templateId: string,
  next: string,
  extra: { topic?: string; priority?: 'low' | 'normal' | 'high' } = {},
): JourneyDefinitionInput['steps'][number] {
  return {
    id,
    type: 'send',
    channel: p.channel,
    message: { templateId },
    ...(p.webhookUrl !== undefined ? { url: p.webhookUrl } : {}),
    ...extra,
    next,
  };
}

/** The identity fields of a journey built from a recipe. */
export function header(
  p: CommonParams,
  recipeId: string,
  name: string,
  description: string,
): Pick<JourneyDefinitionInput, 'id' | 'name' | 'description' | 'holdoutPercent'> {
  return {
    id: p.journeyId ?? recipeId,
    name: p.name ?? name,
    description,
    holdoutPercent: p.holdoutPercent,
  };
}

/** Applies the definition's defaults; a recipe that builds an invalid shape is a bug. */
export function finish(def: JourneyDefinitionInput): JourneyDefinition {
  return JourneyDefinition.parse(def);
}
