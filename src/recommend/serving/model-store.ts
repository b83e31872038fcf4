import type { Kysely } from 'kysely';
import type { PersonRef, Removed } from '../../shared/index.js';
import type { Database } from '../../store/index.js';

/** What a training leaves in the store for the other processes. */
export interface StoredModels {
  version: number;
  formatVersion: number;
  /** Null when an erasure emptied it. */
  bundle: Uint8Array | null;
  trainedAt: number;
  logThrough: number;
  interactions: number;
  items: number;
}

/**
 * Replaces the workspace's stored bundle with a newly trained one and returns its
 * version: one more than the last, whichever process saved that, in one statement (two
 * processes saving at once get distinct versions).
 */
export async function saveModels(
  db: Kysely<Database>,
  workspaceId: string,
  m: Omit<StoredModels, 'version'>,
  now: number,
): Promise<number> {
  const row = {
    format_version: m.formatVersion,
    bundle: m.bundle,
    trained_at: m.trainedAt,
    log_through: m.logThrough,
    interactions: m.interactions,
    items: m.items,
    saved_at: now,
  };
  const saved = await db
    .insertInto('recommendation_models')
    .values({ workspace_id: workspaceId, version: 1, ...row })
    .onConflict((oc) =>
      oc.column('workspace_id').doUpdateSet((eb) => ({
        ...row,
        version: eb('recommendation_models.version', '+', 1),
      })),
    )
    .returning('version')
    .executeTakeFirstOrThrow();
  return saved.version;
}

/** The stored version of each workspace that has one: a poll that reads no bundle. */
export async function storedVersions(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('recommendation_models')
    .select(['workspace_id', 'version'])
    .execute();
  return new Map(rows.map((r) => [r.workspace_id, r.version]));
}

export async function loadModels(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<StoredModels | null> {
  const r = await db
    .selectFrom('recommendation_models')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!r) return null;
  return {
    version: r.version,
    formatVersion: r.format_version,
    bundle: r.bundle,
    trainedAt: r.trained_at,
    logThrough: r.log_through,
    interactions: r.interactions,
    items: r.items,
  };
}

/**
 * Erasure's step for the stored models: the per-person histories inside name people by
 * profile id, so a bundle that mentions any of the person's ids is emptied (its version
 * moves on, so no process loads the old one again). The process that finishes the
 * erasure retrains from the log, which no longer has the person, and saves anew.
 */
export async function erasePersonModels(db: Kysely<Database>, person: PersonRef): Promise<Removed> {
  const r = await db
    .selectFrom('recommendation_models')
    .select('bundle')
    .where('workspace_id', '=', person.workspaceId)
    .executeTakeFirst();
  const bytes = r?.bundle ? Buffer.from(r.bundle) : null;
  if (!bytes || !person.profileIds.some((id) => bytes.includes(id, 0, 'utf8'))) {
    return { recommendation_models: 0 };
  }
  await db
    .updateTable('recommendation_models')
    .set((eb) => ({ bundle: null, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', person.workspaceId)
    .execute();
  return { recommendation_models: 1 };
}

/** The workspace's stored version (0: none), without reading the bundle. */
export async function storedVersionOf(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const r = await db
    .selectFrom('recommendation_models')
    .select('version')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return r ? r.version : 0;
}
