import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { withTransaction, type Database, type Store } from '../store/index.js';
import type { Clock } from '../shared/index.js';
import { createApiKey, type CreatedKey } from './keys.js';
import { workspaceSecrets } from './secrets.js';
import { ensureWebhookSecret } from './webhook-secret.js';

export const DEFAULT_WORKSPACE_ID = 'default';

/**
 * A workspace id: a lowercase slug, as it appears in logs, key listings and URLs of
 * operators' tooling. Letters, digits and inner hyphens; 2 to 40 characters.
 */
export const WorkspaceId = z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(40, 'must be at most 40 characters')
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    'must be lowercase letters, digits and hyphens, starting and ending with a letter or digit',
  );

/** A workspace's name: a label for people. */
export const WorkspaceName = z.string().trim().min(1).max(200);

/** A workspace as listings show it. */
export const WorkspaceInfo = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export type CreateWorkspaceResult =
  { kind: 'ok'; workspace: WorkspaceInfo; adminKey: CreatedKey } | { kind: 'exists' };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Creates the default workspace on first start, with its webhook signing secret (webhooks
 * are signed from the start); a no-op afterwards.
 */
export async function ensureDefaultWorkspace(db: Kysely<Database>, clock: Clock): Promise<void> {
  await db
    .insertInto('workspaces')
    .values({ id: DEFAULT_WORKSPACE_ID, name: 'Default', created_at: clock.now() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await ensureWebhookSecret(db, clock, DEFAULT_WORKSPACE_ID);
}

/**
 * Creates a workspace with its own secrets (links, VAPID, webhook signing) and its first
 * admin key, all in one transaction: a workspace never exists without a key to manage
 * it. The key is returned once, here. An id already taken answers `exists`.
 * @example
 * const r = await createWorkspace(store, clock, { id: 'acme', name: 'Acme' });
 * if (r.kind === 'ok') console.log(r.adminKey.key);
 */
export async function createWorkspace(
  store: Store,
  clock: Clock,
  input: { id?: string | undefined; name: string },
): Promise<CreateWorkspaceResult> {
  const id = input.id ?? `ws-${randomBytes(6).toString('hex')}`;
  return withTransaction(store, async (tx) => {
    const now = clock.now();
    const inserted = await tx
      .insertInto('workspaces')
      .values({ id, name: input.name, created_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return { kind: 'exists' };
    await ensureWebhookSecret(tx, clock, id);
    await workspaceSecrets(tx, clock, id);
    const adminKey = await createApiKey(tx, clock, {
      workspaceId: id,
      scope: 'admin',
      name: 'first admin key',
    });
    return { kind: 'ok', workspace: { id, name: input.name, createdAt: iso(now) }, adminKey };
  });
}

/** One page of workspaces in id order, after `cursor` (the last id of the page before). */
export async function listWorkspaces(
  db: Kysely<Database>,
  options: { limit: number; cursor?: string | undefined },
): Promise<{ workspaces: WorkspaceInfo[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('workspaces')
    .select(['id', 'name', 'created_at'])
    .orderBy('id')
    .limit(options.limit + 1);
  if (options.cursor !== undefined) query = query.where('id', '>', options.cursor);
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  return {
    workspaces: page.map((r) => ({ id: r.id, name: r.name, createdAt: iso(r.created_at) })),
    nextCursor: rows.length > options.limit ? page[page.length - 1]!.id : null,
  };
}

export async function workspaceExists(db: Kysely<Database>, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

/** Every workspace's id, for the loops that visit each one. */
export async function listWorkspaceIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('workspaces').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}
