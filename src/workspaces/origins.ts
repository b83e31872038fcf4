import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/index.js';

/** Most origins one workspace may list: a shop has a few sites, not hundreds. */
export const MAX_ALLOWED_ORIGINS = 100;

/**
 * A web origin as browsers send it in `Origin`: `scheme://host[:port]`, lower case, no
 * path, no trailing slash, no default port. Compared as exact text, so only that form is
 * accepted (a near miss would never match and silently block the site).
 */
export const WebOrigin = z
  .string()
  .max(300)
  .refine((value) => canonicalOrigin(value) === value, {
    message:
      'must be a web origin as browsers send it: scheme://host[:port] in lower case, no path or trailing slash (e.g. https://shop.example)',
  });

function canonicalOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * Which web pages may call the workspace's browser routes (the Segment SDK routes,
 * recommendations and decide for public keys): nothing cross-origin until listed.
 */
export const CorsSettings = z.object({
  allowedOrigins: z
    .array(WebOrigin)
    .max(MAX_ALLOWED_ORIGINS)
    .default([])
    .describe(
      'Web origins (https://shop.example) whose pages may call the SDK, recommendation and decide routes; empty: none',
    ),
});
export type CorsSettings = z.infer<typeof CorsSettings>;

/**
 * Mirrors the settings document's `cors` section into `allowed_origins`; called by
 * `writeSettingsDocument` with its handle, so both change in one transaction.
 */
export async function replaceAllowedOrigins(
  db: Kysely<Database>,
  workspaceId: string,
  corsSection: unknown,
): Promise<void> {
  const parsed = CorsSettings.safeParse(corsSection ?? {});
  // The route validated the document; anything else writing settings gets no origins
  // rather than a half-applied list.
  const origins = parsed.success ? [...new Set(parsed.data.allowedOrigins)] : [];
  await db.deleteFrom('allowed_origins').where('workspace_id', '=', workspaceId).execute();
  if (origins.length === 0) return;
  await db
    .insertInto('allowed_origins')
    .values(origins.map((origin) => ({ workspace_id: workspaceId, origin })))
    .execute();
}

/** Whether the workspace lists the origin: one primary-key read. */
export async function originAllowed(
  db: Kysely<Database>,
  workspaceId: string,
  origin: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('allowed_origins')
    .select('origin')
    .where('workspace_id', '=', workspaceId)
    .where('origin', '=', origin)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Whether any workspace lists the origin. A preflight names no key, so this is all it
 * can be checked against; the request that follows is checked against its key's
 * workspace (`originAllowed`).
 */
export async function originListed(db: Kysely<Database>, origin: string): Promise<boolean> {
  const row = await db
    .selectFrom('allowed_origins')
    .select('workspace_id')
    .where('origin', '=', origin)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
