import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { expose } from './assignments.js';
import { experimentFor } from './experiments-repo.js';

/**
 * The template a person gets for `templateId`: when a template experiment tests it, the
 * variant of the person's arm (recorded now if this is their first exposure; an arm
 * without a variant gets the template itself); otherwise the template itself.
 */
export async function templateVariantFor(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  templateId: string,
  now: number,
): Promise<string> {
  const e = await experimentFor(db, workspaceId, 'template', templateId);
  if (!e) return templateId;
  const arm = await expose(db, workspaceId, e, profileId, now);
  return e.arms.find((a) => a.name === arm)?.variant ?? templateId;
}
