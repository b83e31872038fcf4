import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { Clock } from '../shared/index.js';
import { ConsentPolicy, DEFAULT_CONSENT_POLICY } from '../privacy/index.js';
import { FrequencyCap, HostPattern, QuietHours, QuietMode } from '../channels/index.js';

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

/** Which links click tracking may rewrite (see docs/channels.md, Tracking). */
export const TrackingSettings = z.object({
  /**
   * Hosts whose links are tracked besides the public URL's: `shop.example.com`, or
   * `*.example.com` for its subdomains. Other links are sent as they are.
   */
  allowedHosts: z.array(HostPattern).max(200).default([]),
  /**
   * Also track links to hosts of catalog item URLs. Off by default: a write key (public in
   * every browser) can set item URLs through product events and PUT /v1/catalog/items.
   */
  catalogHosts: z.boolean().default(false),
});
export type TrackingSettings = z.infer<typeof TrackingSettings>;

/** Who e-mail comes from. Sending needs `from` (and SMTP_URL). */
export const EmailSettings = z.object({
  from: z.email('must be an e-mail address').nullable().default(null),
  fromName: z.string().max(200).nullable().default(null),
  replyTo: z.email('must be an e-mail address').nullable().default(null),
  /** A mailbox for mailto: List-Unsubscribe; the https one-click link is always there. */
  unsubscribeMailto: z.email('must be an e-mail address').nullable().default(null),
});
export type EmailSettings = z.infer<typeof EmailSettings>;

/** How messages reach people: caps across journeys, quiet hours, consent defaults. */
export const DeliverySettings = z.object({
  /** e.g. `[{ "channel": "email", "max": 1, "per": "PT16H" }, { "channel": "email", "max": 3, "per": "P7D" }]` */
  caps: z.array(FrequencyCap).max(20).default([]),
  /** In the recipient's time zone; null for none. */
  quietHours: QuietHours.nullable().default(null),
  /** What happens to a message due in quiet hours, unless its journey says otherwise. */
  quietMode: QuietMode.default('defer'),
  /** The hour (0-23) to aim for when a person's own best hour is unknown. */
  bestHour: z.number().int().min(0).max(23).default(10),
});
export type DeliverySettings = z.infer<typeof DeliverySettings>;

/** Every workspace setting, with its default. Later capabilities add sections. */
export const WorkspaceSettings = z.object({
  email: EmailSettings.default({
    from: null,
    fromName: null,
    replyTo: null,
    unsubscribeMailto: null,
  }),
  delivery: DeliverySettings.default({
    caps: [],
    quietHours: null,
    quietMode: 'defer',
    bestHour: 10,
  }),
  consent: ConsentPolicy.default(DEFAULT_CONSENT_POLICY),
  webhook: WebhookSettings.default({ url: null, signing: 'on' }),
  tracking: TrackingSettings.default({ allowedHosts: [], catalogHosts: false }),
  identity: IdentitySettings.default({
    blockedValues: [],
    limits: { user_id: 1, email: 3, phone: 3, anonymous_id: null },
  }),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

export const DEFAULT_SETTINGS: WorkspaceSettings = WorkspaceSettings.parse({});

export async function readSettings(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<WorkspaceSettings> {
  const row = await db
    .selectFrom('workspace_settings')
    .select('settings')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!row) return DEFAULT_SETTINGS;
  // Stored settings were validated on write; parsing again fills defaults added since.
  return WorkspaceSettings.parse(JSON.parse(row.settings));
}

export async function writeSettings(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  settings: WorkspaceSettings,
): Promise<void> {
  const now = clock.now();
  await db
    .insertInto('workspace_settings')
    .values({ workspace_id: workspaceId, settings: JSON.stringify(settings), updated_at: now })
    .onConflict((oc) =>
      oc
        .column('workspace_id')
        .doUpdateSet({ settings: JSON.stringify(settings), updated_at: now }),
    )
    .execute();
}
