import type { Kysely } from 'kysely';
import { z } from 'zod';
import { CorruptDataError, NotFoundError, decodeJson } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { OfferInput } from './offer.js';

export const OfferVersions = z.object({
  versions: z.array(
    z.object({ version: z.number().int(), createdAt: z.string(), definition: OfferInput }),
  ),
});
export type OfferVersions = z.infer<typeof OfferVersions>;

/** The most versions one answer lists, newest first. */
const MAX_VERSIONS = 100;

/**
 * `GET /v1/offers/{id}/versions`: what each version of a live offer said, newest first.
 * Decisions name the version they showed, so this is what a person was shown.
 */
export async function offerVersions(
  db: Kysely<Database>,
  workspaceId: string,
  offerId: string,
): Promise<OfferVersions> {
  const live = await db
    .selectFrom('offers')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', offerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!live) throw new NotFoundError(`No offer "${offerId}".`);
  const rows = await db
    .selectFrom('offer_versions')
    .select(['version', 'definition', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('offer_id', '=', offerId)
    .orderBy('version', 'desc')
    .limit(MAX_VERSIONS)
    .execute();
  return {
    versions: rows.map((r) => {
      const d = decodeJson(OfferInput, r.definition);
      if (d.kind === 'corrupt')
        throw new CorruptDataError(`Offer "${offerId}" version ${r.version} is unreadable.`, [
          { path: `versions.${r.version}`, problem: d.problem },
        ]);
      return {
        version: r.version,
        createdAt: new Date(r.created_at).toISOString(),
        definition: d.value,
      };
    }),
  };
}
