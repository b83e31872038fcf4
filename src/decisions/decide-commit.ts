import type { Selectable } from 'kysely';
import { newTimeOrderedId } from '../shared/index.js';
import {
  storeInTransaction,
  withRetriedTransaction,
  type DecisionsTable,
  type Store,
  type Tx,
} from '../store/index.js';
import { refundBudget, spendBudget } from './budget.js';
import { claimCode, codeOf, freeCodes } from './codes.js';
import { decisionByKey, type DecisionRow, type DecisionWriter } from './decision-log.js';
import type { LiveOffer, LivePlacement } from './snapshot.js';

export type Outcome =
  | { kind: 'ok'; row: DecisionRow }
  | { kind: 'existing'; row: Selectable<DecisionsTable> }
  | { kind: 'budget' | 'no_codes' };

/** Where a decision is written: the caller's transaction, else the log's group commit. */
export interface CommitTarget {
  store: Store;
  writer: DecisionWriter;
  tx?: Tx | undefined;
  /** A preview: check what the commit would meet, write nothing (see `previewCommit`). */
  dryRun?: boolean | undefined;
}

/**
 * Spends the budget, claims the code and logs the decision, all or nothing. A decision
 * that needs none of that (no budget, no code, no dedupe key) goes to the group commit.
 */
export async function commitDecision(
  target: CommitTarget,
  offer: LiveOffer | undefined,
  row: DecisionRow,
): Promise<Outcome> {
  if (target.dryRun) return previewCommit(target, offer, row);
  const needsTx = offer?.def.codes || offer?.def.budget !== undefined || row.dedupe_key !== null;
  if (!needsTx) {
    if (target.tx) await target.tx.insertInto('decisions').values(row).execute();
    else await target.writer.write(row);
    return { kind: 'ok', row };
  }
  const store = target.tx ? storeInTransaction(target.store, target.tx) : target.store;
  return withRetriedTransaction(store, async (tx): Promise<Outcome> => {
    if (row.dedupe_key) {
      const existing = await decisionByKey(tx, row.workspace_id, row.dedupe_key);
      if (existing) return { kind: 'existing', row: existing };
    }
    if (!offer) {
      await tx.insertInto('decisions').values(row).execute();
      return { kind: 'ok', row };
    }
    const budgeted = offer.def.budget !== undefined;
    if (budgeted && !(await spendBudget(tx, row.workspace_id, offer.id, offer.def.value)))
      return { kind: 'budget' };
    let code: string | null = null;
    if (offer.def.codes) {
      const held = row.profile_id
        ? await codeOf(tx, row.workspace_id, offer.id, row.profile_id)
        : null;
      code =
        held?.code ??
        (await claimCode(
          target.store,
          tx,
          row.workspace_id,
          offer.id,
          row.profile_id ?? null,
          row.id,
          row.created_at,
        ));
      if (code === null) {
        // Out of codes: give back what was just spent, in this same transaction (which
        // may be a journey step's, so it cannot simply be rolled back).
        if (budgeted) await refundBudget(tx, row.workspace_id, offer.id, offer.def.value);
        return { kind: 'no_codes' };
      }
    }
    const done = { ...row, code };
    await tx.insertInto('decisions').values(done).execute();
    return { kind: 'ok', row: done };
  });
}

/**
 * What `commitDecision` would meet, read without a write: a budget with no room left, an
 * empty code pool (unless the person already holds a code, which they would be shown
 * again). Nothing is spent, claimed or logged, so a preview is no exposure; the code a
 * preview shows is only one the person already holds.
 */
async function previewCommit(
  target: CommitTarget,
  offer: LiveOffer | undefined,
  row: DecisionRow,
): Promise<Outcome> {
  if (!offer) return { kind: 'ok', row };
  const db = target.tx ?? target.store.db;
  const { budget, codes, value } = offer.def;
  if (budget !== undefined) {
    const r = await db
      .selectFrom('offers')
      .select(['spent_count', 'spent_amount'])
      .where('workspace_id', '=', row.workspace_id)
      .where('id', '=', offer.id)
      .executeTakeFirst();
    const count = r?.spent_count ?? 0;
    const amount = r?.spent_amount ?? 0;
    if (
      !r ||
      (budget.count !== undefined && count + 1 > budget.count) ||
      (budget.spend !== undefined && amount + value > budget.spend)
    )
      return { kind: 'budget' };
  }
  if (!codes) return { kind: 'ok', row };
  const held = row.profile_id ? await codeOf(db, row.workspace_id, offer.id, row.profile_id) : null;
  if (held) return { kind: 'ok', row: { ...row, code: held.code } };
  return (await freeCodes(db, row.workspace_id, offer.id)) > 0
    ? { kind: 'ok', row }
    : { kind: 'no_codes' };
}

/** What a decision's row is made of besides the fields every decision shares. */
export type DecisionFields = Pick<
  DecisionRow,
  | 'offer_id'
  | 'offer_version'
  | 'policy_kind'
  | 'propensity'
  | 'distribution'
  | 'features'
  | 'context'
  | 'reasons'
  | 'holdout'
  | 'learned_at'
>;

/** A decision as logged: what every row shares (no code and no reward yet) plus `fields`. */
export function decisionRow(
  req: { workspaceId: string; dedupeKey?: string | undefined; decisionId?: string | undefined },
  placement: LivePlacement,
  profileId: string | null,
  now: number,
  fields: DecisionFields,
): DecisionRow {
  return {
    id: req.decisionId ?? newTimeOrderedId('dec', now),
    workspace_id: req.workspaceId,
    profile_id: profileId,
    placement_id: placement.id,
    policy_version: placement.version,
    code: null,
    dedupe_key: req.dedupeKey ?? null,
    created_at: now,
    attribution_ends_at: now + placement.attributionMs,
    clicked_at: null,
    converted_at: null,
    redeemed_at: null,
    ...fields,
  };
}
