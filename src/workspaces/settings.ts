import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { Clock } from '../shared/index.js';
import { SensitiveSettings } from '../privacy/index.js';
import { replaceAllowedOrigins } from './origins.js';

const Limit = z.number().int().min(1).max(10_000).nullable();

/** Identity-resolution rules of a workspace (see docs/profiles.md). */
export const IdentitySettings = z.object({
  /** Values that never identify anyone, on top of the built-in list (case-insensitive). */
  blockedValues: z.array(z.string().max(200)).max(1000).default([]),
  /** How many identifiers of each kind one profile may hold; null = no limit. */
  limits: z
    .object({
      user_id: Limit.default(1),
      email: Limit.default(3),
      phone: Limit.default(3),
      anonymous_id: Limit.default(null),
    })
    .default({ user_id: 1, email: 3, phone: 3, anonymous_id: null }),
});
export type IdentitySettings = z.infer<typeof IdentitySettings>;

/**
 * Where journey messages on the webhook channel go, and whether they are signed. The
 * signing secret is generated per workspace (POST /v1/admin/webhook-secret/rotate shows
 * a new one), never stored in settings, which GET /v1/admin/settings shows to any admin.
 */
export const WebhookSettings = z.object({
  url: z
    .string()
    .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
    .nullable()
    .default(null),
  /** `off` sends webhooks unsigned; only ever by choice, never by default. */
  signing: z
    .enum(['on', 'off'])
    .default('on')
    .describe('"off" sends webhooks unsigned; the secret: POST /v1/admin/webhook-secret/rotate'),
  // Settings held the secret until migration 0009 moved it to the workspace's secrets.
  // Kept in the schema only to refuse a value by name instead of dropping it silently.
  secret: z
    .null({
      error:
        'is no longer a setting: each workspace has a generated signing secret; ' +
        'POST /v1/admin/webhook-secret/rotate (or `rapport webhooks secret rotate`) shows a new one',
    })
    .optional()
    .describe('removed (refused unless null): see POST /v1/admin/webhook-secret/rotate'),
});
export type WebhookSettings = z.infer<typeof WebhookSettings>;

const Days = z.number().int().min(1).max(36_500).nullable();

/**
 * What happens to personal data over time (docs/privacy.md): how many days each kind of
 * record is kept (null: kept until erased), and what becomes of events naming an erased
 * person (refused, or kept with the identifiers taken out).
 */
export const PrivacySettings = z.object({
  afterErasure: z
    .enum(['refuse', 'anonymize'])
    .default('refuse')
    .describe('events naming an erased person: dropped, or kept without their identifiers'),
  retention: z
    .object({
      eventsDays: Days.default(null),
      messagesDays: Days.default(null),
      rejectedDays: Days.default(null),
      decisionsDays: Days.default(null),
    })
    .default({ eventsDays: null, messagesDays: null, rejectedDays: null, decisionsDays: null }),
});
export type PrivacySettings = z.infer<typeof PrivacySettings>;

/** Who e-mail comes from. Sending needs `from` (and SMTP_URL). */
export const EmailSettings = z.object({
  from: z.email('must be an e-mail address').nullable().default(null),
  fromName: z.string().max(200).nullable().default(null),
  replyTo: z.email('must be an e-mail address').nullable().default(null),
  /** A mailbox for mailto: List-Unsubscribe; the https one-click link is always there. */
  unsubscribeMailto: z.email('must be an e-mail address').nullable().default(null),
});
export type EmailSettings = z.infer<typeof EmailSettings>;

/** An https URL: e-mail clients block mixed content, and a logo over http shows as broken. */
const HttpsUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an https:// URL');

const Hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour such as #1a73e8');

export const BrandColors = z.object({
  /** Buttons, links and the price. */
  primary: Hex.default('#1a56db'),
  /** Text on a primary-coloured button. */
  buttonText: Hex.default('#ffffff'),
  /** Around the message. */
  background: Hex.default('#f3f4f6'),
  /** The message's card. */
  surface: Hex.default('#ffffff'),
  text: Hex.default('#1f2937'),
});
export type BrandColors = z.infer<typeof BrandColors>;

export const DEFAULT_BRAND_COLORS: BrandColors = BrandColors.parse({});

/**
 * How the shop looks in its messages: the ready-made e-mails show its name, logo and
 * colours, and its postal address in the footer (anti-spam laws such as CAN-SPAM ask for
 * one in every marketing e-mail). Templates read it as `workspace.*`.
 */
export const BrandSettings = z.object({
  name: z.string().trim().min(1).max(200).nullable().default(null),
  /** The shop's home page: the logo links there. */
  website: HttpsUrl.nullable().default(null),
  logoUrl: HttpsUrl.nullable().default(null),
  colors: BrandColors.default(DEFAULT_BRAND_COLORS),
  /** The postal address, one line each. */
  address: z.array(z.string().trim().min(1).max(200)).max(6).default([]),
  /**
   * Where a cart reminder links: `https://shop.example/cart`, or with the cart's id in
   * it, `https://shop.example/cart/{cart_id}`.
   */
  cartUrl: HttpsUrl.nullable().default(null),
  /** How prices are written (`en-GB`, `de-DE`); a BCP 47 tag. */
  locale: z
    .string()
    .max(35)
    .refine((v) => {
      try {
        return Intl.NumberFormat.supportedLocalesOf([v]).length === 1;
      } catch {
        return false;
      }
    }, 'must be a supported BCP 47 locale such as en-GB')
    .default('en-US'),
  /** The currency of prices that come without one (an ISO 4217 code). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code in capitals, such as EUR')
    .nullable()
    .default(null),
});
export type BrandSettings = z.infer<typeof BrandSettings>;

/**
 * Measurement: the global control group, a share of people who get no marketing message
 * from any journey, so the lift of the whole program can be measured (docs/measurement.md).
 */
export const MeasurementSettings = z.object({
  /** Percent of people in the global control group; 0 turns it off. */
  globalControlPercent: z
    .number()
    .min(0, 'must be between 0 and 50')
    .max(50, 'must be between 0 and 50')
    .default(5),
});
export type MeasurementSettings = z.infer<typeof MeasurementSettings>;

/**
 * A workspace's settings document as stored: the sections of every module that keeps
 * settings, validated as a whole when written (`writeSettingsDocument`'s caller parses
 * them first; see messaging's `WorkspaceSettings`). Each reader parses the sections it
 * owns, which fills defaults added since.
 */
export async function readSettingsDocument(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<Record<string, unknown>> {
  const row = await db
    .selectFrom('workspace_settings')
    .select('settings')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!row) return {};
  const value: unknown = JSON.parse(row.settings);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export async function writeSettingsDocument(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  document: Record<string, unknown>,
): Promise<void> {
  const now = clock.now();
  const text = JSON.stringify(document);
  await db
    .insertInto('workspace_settings')
    .values({ workspace_id: workspaceId, settings: text, updated_at: now })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ settings: text, updated_at: now }))
    .execute();
  await replaceAllowedOrigins(db, workspaceId, document.cors);
}

/** The identity-resolution rules (what the profile stage needs, and nothing more). */
export async function readIdentitySettings(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<IdentitySettings> {
  const document = await readSettingsDocument(db, workspaceId);
  return IdentitySettings.parse(document.identity ?? {});
}

/**
 * The sensitive-attribute list and its allowances (docs/privacy.md): what every check of
 * a segment, template, journey, recommendation or decision feature reads.
 */
export async function readSensitiveSettings(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<SensitiveSettings> {
  const document = await readSettingsDocument(db, workspaceId);
  return SensitiveSettings.parse(document.sensitive ?? {});
}

/** What the workspace keeps and for how long, and what follows an erasure. */
export async function readPrivacySettings(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<PrivacySettings> {
  const document = await readSettingsDocument(db, workspaceId);
  return PrivacySettings.parse(document.privacy ?? {});
}
