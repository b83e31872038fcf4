import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { Clock } from '../shared/index.js';

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

/** Where journey messages on the webhook channel go, and the secret that signs them. */
export const WebhookSettings = z.object({
  url: z
    .string()
    .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
    .nullable()
    .default(null),
  secret: z.string().min(16, 'must be at least 16 characters').nullable().default(null),
});
export type WebhookSettings = z.infer<typeof WebhookSettings>;

/** Every workspace setting, with its default. Later capabilities add sections. */
export const WorkspaceSettings = z.object({
  webhook: WebhookSettings.default({ url: null, secret: null }),
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
