import type { Kysely } from 'kysely';
import { z } from 'zod';
import { FrequencyCap, HostPattern, QuietHours, QuietMode } from '../channels/index.js';
import {
  ConsentPolicy,
  DEFAULT_CONSENT_POLICY,
  DEFAULT_SENSITIVE_SETTINGS,
  SensitiveSettings,
} from '../privacy/index.js';
import type { Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';
import {
  BrandSettings,
  CorsSettings,
  DEFAULT_BRAND_COLORS,
  EmailSettings,
  IdentitySettings,
  MeasurementSettings,
  PrivacySettings,
  readSettingsDocument,
  WebhookSettings,
  writeSettingsDocument,
} from '../workspaces/index.js';

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
  brand: BrandSettings.default({
    name: null,
    website: null,
    logoUrl: null,
    colors: DEFAULT_BRAND_COLORS,
    address: [],
    cartUrl: null,
    locale: 'en-US',
    currency: null,
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
  measurement: MeasurementSettings.default({ globalControlPercent: 5 }),
  /** Traits that may not feed segments, templates, recommendations or decisions unless allowed. */
  sensitive: SensitiveSettings.default(DEFAULT_SENSITIVE_SETTINGS),
  /** Web origins allowed to call the browser routes (docs/sdk.md); none by default. */
  cors: CorsSettings.default({ allowedOrigins: [] }),
  privacy: PrivacySettings.default({
    afterErasure: 'refuse',
    retention: { eventsDays: null, messagesDays: null, rejectedDays: null, decisionsDays: null },
  }),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

export const DEFAULT_SETTINGS: WorkspaceSettings = WorkspaceSettings.parse({});

/** Every section of a workspace's settings, defaults filled. */
export async function readSettings(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<WorkspaceSettings> {
  // Stored settings were validated on write; parsing again fills defaults added since.
  return WorkspaceSettings.parse(await readSettingsDocument(db, workspaceId));
}

/** Replaces a workspace's settings (validated by `WorkspaceSettings` by the caller). */
export async function writeSettings(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  settings: WorkspaceSettings,
): Promise<void> {
  await writeSettingsDocument(db, clock, workspaceId, settings);
}
