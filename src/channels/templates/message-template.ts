import { z } from 'zod';
import { Topic } from '../../privacy/index.js';
import type { RenderLimit } from './limits.js';

export const TemplateChannel = z.enum(['email', 'push', 'webhook']);
export type TemplateChannel = z.infer<typeof TemplateChannel>;

/** Every template field, in render order. */
export const TEMPLATE_FIELDS = [
  'subject',
  'preheader',
  'html',
  'text',
  'pushTitle',
  'pushBody',
  'pushUrl',
  'pushIcon',
  'webhookBody',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** Which fields each channel uses; a template may not carry the others. */
export const CHANNEL_FIELDS: Readonly<Record<TemplateChannel, readonly TemplateField[]>> = {
  email: ['subject', 'preheader', 'html', 'text'],
  push: ['pushTitle', 'pushBody', 'pushUrl', 'pushIcon'],
  webhook: ['webhookBody'],
};

// Source-size ceilings per field. Gmail clips a message past ~102 KB, so real HTML stays
// far below 500k; these only stop absurd input before the parser sees it.
const source = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const fieldShape = {
  subject: source(2_000).optional(),
  preheader: source(2_000).optional(),
  html: source(500_000).optional(),
  text: source(200_000).optional(),
  pushTitle: source(2_000).optional(),
  pushBody: source(8_000).optional(),
  pushUrl: source(4_000).optional(),
  pushIcon: source(4_000).optional(),
  webhookBody: source(200_000).optional(),
};

export const TemplateFields = z.strictObject(fieldShape);
export type TemplateFields = z.infer<typeof TemplateFields>;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** A dotted variable path such as `profile.traits.first_name`. */
export const VariablePath = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,7}$/,
    'must be a dotted path of identifiers such as profile.traits.first_name',
  )
  .refine((p) => !p.split('.').some((s) => FORBIDDEN_SEGMENTS.has(s)), {
    message: 'must not use __proto__, prototype or constructor',
  });

/**
 * A message template. Fields are LiquidJS sources; `nonPersonalized` holds the variants
 * sent to people who opted out of personalization (a missing variant falls back to the
 * field itself, rendered without behavioural data); `defaults` fill variables that are
 * missing, null or empty, e.g. `{ "profile.traits.first_name": "there" }`.
 */
export const MessageTemplate = z
  .strictObject({
    id: z.string().min(1).max(200),
    name: z.string().min(1).max(200),
    channel: TemplateChannel,
    /** The consent topic of messages from this template (newsletter, offers...). */
    topic: Topic.optional(),
    /** Receipts and notices that need no marketing consent (see `mayContact`). */
    transactional: z.boolean().default(false),
    ...fieldShape,
    nonPersonalized: TemplateFields.optional(),
    defaults: z.record(z.string(), z.json()).default({}),
  })
  .superRefine((t, ctx) => {
    const allowed = new Set<string>(CHANNEL_FIELDS[t.channel]);
    const check = (
      fields: Partial<Record<TemplateField, string | undefined>>,
      prefix: string[],
    ) => {
      for (const field of TEMPLATE_FIELDS) {
        if (fields[field] !== undefined && !allowed.has(field)) {
          ctx.addIssue({
            code: 'custom',
            path: [...prefix, field],
            message: `${t.channel} templates do not use ${field} (they use ${CHANNEL_FIELDS[t.channel].join(', ')})`,
          });
        }
      }
    };
    for (const key of Object.keys(t.defaults)) {
      const path = VariablePath.safeParse(key);
      if (!path.success) {
        ctx.addIssue({
          code: 'custom',
          path: ['defaults', key],
          message: path.error.issues[0]!.message,
        });
      }
    }
    check(t, []);
    if (t.nonPersonalized) check(t.nonPersonalized, ['nonPersonalized']);
    if (t.channel === 'email') {
      if (t.subject === undefined) {
        ctx.addIssue({ code: 'custom', path: ['subject'], message: 'an e-mail needs a subject' });
      }
      if (t.html === undefined && t.text === undefined) {
        ctx.addIssue({ code: 'custom', path: ['html'], message: 'an e-mail needs html or text' });
      }
    }
    if (t.channel === 'push') {
      for (const field of ['pushTitle', 'pushBody'] as const) {
        if (t[field] === undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `a push needs ${field}` });
        }
      }
    }
  });
export type MessageTemplate = z.infer<typeof MessageTemplate>;
export type MessageTemplateInput = z.input<typeof MessageTemplate>;

/** A problem with a template: the field (dotted path), and where in its source when known. */
export interface TemplateError {
  field: string;
  /** 1-based line in the field's source. */
  line?: number;
  /** 1-based column in the field's source. */
  col?: number;
  message: string;
  /** Set when the render stopped at a limit (see `TemplateLimits`). */
  limit?: RenderLimit;
}
