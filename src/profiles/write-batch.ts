import { assignEvents, type StoreKind, type Tx } from '../store/index.js';
import { sealedValue, storedValue } from './identity/stored-value.js';
import type { WorkingSet } from './working-set.js';

/**
 * Writes what a batch changed in its working set, in the batch's transaction: the dirty
 * profiles (multi-row upserts), the merges (identities and events follow the winner, an
 * audit row each), the new identities, and each event's profile.
 */
export async function writeBatch(
  tx: Tx,
  kind: StoreKind,
  ws: WorkingSet,
  assigned: Map<string, number[]>,
  now: number,
): Promise<void> {
  const dirty = [...ws.profiles.values()].filter((p) => p.dirty);
  for (let i = 0; i < dirty.length; i += 200) {
    await tx
      .insertInto('profiles')
      .values(
        dirty.slice(i, i + 200).map((p) => ({
          id: p.id,
          workspace_id: ws.workspaceId,
          merged_into: p.mergedInto,
          facts: JSON.stringify(p.facts),
          created_at: p.createdAt,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          merged_into: eb.ref('excluded.merged_into'),
          facts: eb.ref('excluded.facts'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  for (const m of ws.merges) {
    await tx
      .updateTable('identities')
      .set({ profile_id: m.winnerId })
      .where('workspace_id', '=', ws.workspaceId)
      .where('profile_id', '=', m.loserId)
      .execute();
    await tx
      .updateTable('events')
      .set({ profile_id: m.winnerId })
      .where('workspace_id', '=', ws.workspaceId)
      .where('profile_id', '=', m.loserId)
      .execute();
    await tx
      .insertInto('profile_merges')
      .values({
        workspace_id: ws.workspaceId,
        winner_id: m.winnerId,
        loser_id: m.loserId,
        message_id: m.messageId,
        reason: m.reason,
        identities: JSON.stringify(m.identities),
        at: now,
        undone_at: null,
      })
      .execute();
  }
  for (let i = 0; i < ws.newIdentities.length; i += 300) {
    await tx
      .insertInto('identities')
      .values(
        ws.newIdentities.slice(i, i + 300).map((n) => ({
          workspace_id: ws.workspaceId,
          kind: n.kind,
          value: storedValue(tx, n.kind, n.value),
          sealed_value: sealedValue(tx, n.kind, n.value),
          profile_id: n.profileId,
          created_at: now,
        })),
      )
      .execute();
  }
  await assignEvents(tx, kind, assigned);
}
