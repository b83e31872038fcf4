import { decodeJson, type Clock } from '../shared/index.js';
import { withRetriedTransaction, type Store } from '../store/index.js';
import { update } from './core/policy.js';
import { PolicyState, emptyState } from './core/types.js';
import { Features } from './rows.js';
import { PlacementInput } from './placement.js';

const BATCH = 500;

/**
 * One step of learning: decisions whose reward is in (rewarded, or their attribution
 * window closed without one) are added to their placement's policy state, under the
 * state row's lock (PostgreSQL) or the single writer (SQLite), and marked learned in the
 * same transaction. Workers on several processes take disjoint decisions (SKIP LOCKED)
 * and serialize on each state row, so no reward is lost or counted twice. A decision
 * made under an older placement version is marked without teaching the new policy.
 * Answers whether it learned anything (the loop then steps again at once).
 */
export async function learnStep(store: Store, clock: Clock): Promise<boolean> {
  const now = clock.now();
  return withRetriedTransaction(store, async (tx) => {
    let q = tx
      .selectFrom('decisions')
      .select([
        'id',
        'workspace_id',
        'placement_id',
        'offer_id',
        'policy_version',
        'features',
        'reward',
      ])
      .where('learned_at', 'is', null)
      .where((eb) => eb.or([eb('reward', '>', 0), eb('attribution_ends_at', '<=', now)]))
      .orderBy('created_at')
      .limit(BATCH);
    if (store.kind === 'postgres') q = q.forUpdate().skipLocked();
    const rows = await q.execute();
    if (rows.length === 0) return false;
    const groups = new Map<string, typeof rows>();
    for (const r of rows) {
      const key = `${r.workspace_id}\u0000${r.placement_id}`;
      const list = groups.get(key);
      if (list) list.push(r);
      else groups.set(key, [r]);
    }
    for (const group of groups.values()) {
      const { workspace_id: ws, placement_id: placementId } = group[0]!;
      const placement = await tx
        .selectFrom('placements')
        .select(['version', 'definition'])
        .where('workspace_id', '=', ws)
        .where('id', '=', placementId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      const def = placement ? decodeJson(PlacementInput, placement.definition) : null;
      if (!placement || def?.kind !== 'ok') continue;
      const current = group.filter((r) => r.policy_version === placement.version);
      if (current.length === 0) continue;
      // The row exists before it is locked: two workers creating it at once would
      // otherwise both write a state learned from their own decisions only.
      await tx
        .insertInto('decision_policy_state')
        .values({
          workspace_id: ws,
          placement_id: placementId,
          policy_version: placement.version,
          state: JSON.stringify(emptyState()),
          revision: 0,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['workspace_id', 'placement_id']).doNothing())
        .execute();
      let sq = tx
        .selectFrom('decision_policy_state')
        .select(['policy_version', 'state', 'revision'])
        .where('workspace_id', '=', ws)
        .where('placement_id', '=', placementId);
      if (store.kind === 'postgres') sq = sq.forUpdate();
      const stored = await sq.executeTakeFirst();
      const decoded =
        stored && stored.policy_version === placement.version
          ? decodeJson(PolicyState, stored.state)
          : null;
      let state = decoded?.kind === 'ok' ? decoded.value : emptyState();
      for (const r of current) {
        const features = decodeJson(Features, r.features);
        state = update(
          def.value.policy,
          state,
          r.offer_id,
          { features: features.kind === 'ok' ? features.value : {} },
          r.reward,
        );
      }
      const revision = (stored?.revision ?? 0) + 1;
      await tx
        .updateTable('decision_policy_state')
        .set({
          policy_version: placement.version,
          state: JSON.stringify(state),
          revision,
          updated_at: now,
        })
        .where('workspace_id', '=', ws)
        .where('placement_id', '=', placementId)
        .execute();
    }
    await tx
      .updateTable('decisions')
      .set({ learned_at: now })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return true;
  });
}
