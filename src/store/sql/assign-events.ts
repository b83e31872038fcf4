import { sql } from 'kysely';
import type { Tx } from '../transaction.js';
import type { StoreKind } from '../store.js';

/**
 * Marks events as attributed to a profile. On PostgreSQL one statement updates the
 * whole batch from arrays (a round trip per profile was most of the profile stage's
 * time); on SQLite, where statements cost no round trip, one per profile.
 */
export async function assignEvents(
  tx: Tx,
  kind: StoreKind,
  byProfile: ReadonlyMap<string, readonly number[]>,
): Promise<void> {
  if (byProfile.size === 0) return;
  if (kind === 'postgres') {
    const ids: number[] = [];
    const profiles: string[] = [];
    for (const [profileId, eventIds] of byProfile) {
      for (const id of eventIds) {
        ids.push(id);
        profiles.push(profileId);
      }
    }
    await sql`
      UPDATE events SET profile_id = v.profile_id
      FROM (SELECT unnest(${ids}::bigint[]) AS id, unnest(${profiles}::text[]) AS profile_id) AS v
      WHERE events.id = v.id`.execute(tx);
    return;
  }
  for (const [profileId, eventIds] of byProfile) {
    for (let i = 0; i < eventIds.length; i += 500) {
      await tx
        .updateTable('events')
        .set({ profile_id: profileId })
        .where('id', 'in', eventIds.slice(i, i + 500))
        .execute();
    }
  }
}
