import { z } from 'zod';
import {
  ConflictError,
  CorruptDataError,
  NotFoundError,
  decodeJson,
  type Clock,
} from '../shared/index.js';
import { withRetriedTransaction, type Store } from '../store/index.js';
import { readIdentitySettings } from '../workspaces/index.js';
import {
  DEFAULT_BLOCKED_VALUES,
  identifiersOf,
  identityKey,
  Identifier,
} from './identity/index.js';
import { runStages, type PipelineStage, type ProfileChange } from './pipeline-stage.js';
import { liveProfileId } from './profile-repo.js';
import { refoldFacts } from './refold.js';
import { lookupValues } from './identity/stored-value.js';
import { toLoggedEvent } from './stored-event.js';

/** What a merge moved to the winner, as `profile_merges.identities` stores it. */
const MergedIdentities = z.array(Identifier);

export interface UnmergeResult {
  profileId: string;
  splitFrom: string;
  identities: Identifier[];
  eventsMoved: number;
}

/**
 * Splits a profile back out of the one it was merged into: it gets back the identifiers
 * it held at merge time, each event of the merged person goes to whichever side now holds
 * its strongest identifier, and both profiles' facts are re-derived from their events.
 */
export async function unmergeProfile(
  store: Store,
  clock: Clock,
  workspaceId: string,
  loserId: string,
  stages: readonly PipelineStage[] = [],
): Promise<UnmergeResult> {
  const identity = await readIdentitySettings(store.db, workspaceId);
  const blocked = new Set([...DEFAULT_BLOCKED_VALUES, ...identity.blockedValues]);
  return withRetriedTransaction(store, async (tx) => {
    const merge = await tx
      .selectFrom('profile_merges')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('loser_id', '=', loserId)
      .where('undone_at', 'is', null)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (!merge) {
      const exists = await tx
        .selectFrom('profiles')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', loserId)
        .executeTakeFirst();
      if (!exists) throw new NotFoundError(`No profile ${loserId}.`);
      throw new ConflictError(
        `Profile ${loserId} is not merged into another; pass the id of a merged profile (see mergedFrom).`,
      );
    }
    const root = await liveProfileId(tx, workspaceId, merge.winner_id);
    if (!root) throw new NotFoundError(`The profile ${loserId} was merged into no longer exists.`);
    if (store.kind === 'postgres') {
      await tx
        .selectFrom('profiles')
        .select('id')
        .where('id', 'in', [root, loserId])
        .forUpdate()
        .execute();
    }
    const now = clock.now();
    const decoded = decodeJson(MergedIdentities, merge.identities);
    if (decoded.kind === 'corrupt') {
      throw new CorruptDataError(
        `The merge of ${loserId} cannot be undone: its record of the identifiers it moved is unreadable.`,
        [{ path: 'identities', problem: decoded.problem }],
      );
    }
    const returned = decoded.value;
    for (const id of returned) {
      await tx
        .updateTable('identities')
        .set({ profile_id: loserId })
        .where('workspace_id', '=', workspaceId)
        .where('kind', '=', id.kind)
        .where('value', 'in', lookupValues(tx, id.kind, id.value))
        .where('profile_id', '=', root)
        .execute();
    }
    await tx
      .updateTable('profiles')
      .set({ merged_into: null, updated_at: now })
      .where('id', '=', loserId)
      .execute();
    await tx
      .updateTable('profile_merges')
      .set({ undone_at: now })
      .where('id', '=', merge.id)
      .execute();

    // Re-attribute the merged person's events by the identifiers each carries.
    const owned = new Set(returned.map((i) => identityKey(i.kind, i.value)));
    const rows = await tx
      .selectFrom('events')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', '=', root)
      .execute();
    const toLoser: number[] = [];
    for (const row of rows) {
      const e = toLoggedEvent(row);
      const ids = identifiersOf(e, blocked);
      if (e.type === 'alias' && e.previousId)
        ids.push({ kind: 'anonymous_id', value: e.previousId });
      // The strongest identifier decides, as it did when the event arrived.
      const first = ids[0];
      if (first && owned.has(identityKey(first.kind, first.value))) toLoser.push(row.id);
    }
    for (let i = 0; i < toLoser.length; i += 500) {
      await tx
        .updateTable('events')
        .set({ profile_id: loserId })
        .where('id', 'in', toLoser.slice(i, i + 500))
        .execute();
    }
    const refolded = await refoldFacts(tx, workspaceId, [root, loserId]);
    const changes: ProfileChange[] = [];
    for (const [profileId, { facts }] of refolded) {
      await tx
        .updateTable('profiles')
        .set({ facts: JSON.stringify(facts), updated_at: now })
        .where('id', '=', profileId)
        .execute();
      changes.push({ workspaceId, profileId, facts, events: [], merged: [], created: false });
    }
    await runStages(tx, stages, changes, now);
    return {
      profileId: loserId,
      splitFrom: root,
      identities: returned,
      eventsMoved: toLoser.length,
    };
  });
}
