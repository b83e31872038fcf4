import type { Kysely } from 'kysely';
import { ConflictError, NotFoundError, type Clock } from '../shared/index.js';
import { atomically, type Database } from '../store/index.js';
import { placementsUsing } from './placements-repo.js';

/** Deletes an offer no live placement names (as a candidate or its default). */
export async function deleteOffer(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  id: string,
): Promise<void> {
  await atomically(db, async (tx) => {
    const using = await placementsUsing(tx, workspaceId, id);
    if (using.length > 0)
      throw new ConflictError(
        `Offer "${id}" is named by placements ${using.join(', ')}; change them first.`,
        [{ path: 'id', problem: `named by placement ${using.join(', ')}` }],
      );
    const r = await tx
      .updateTable('offers')
      .set({ deleted_at: clock.now(), updated_at: clock.now() })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new NotFoundError(`No offer "${id}".`);
  });
}
