import { sql } from 'kysely';
import type { Tx } from '../store/index.js';

/**
 * Spends one decision's worth of an offer's budget, or refuses when that would go over
 * (count or spend). One conditional UPDATE: the row lock (PostgreSQL) or the single
 * writer (SQLite) orders concurrent spenders, and each re-checks the limit against the
 * committed counters, so no interleaving of workers or processes overspends.
 */
export async function spendBudget(
  tx: Tx,
  workspaceId: string,
  offerId: string,
  value: number,
): Promise<boolean> {
  const r = await sql`
    UPDATE offers SET spent_count = spent_count + 1, spent_amount = spent_amount + ${value}
    WHERE workspace_id = ${workspaceId} AND id = ${offerId} AND deleted_at IS NULL
      AND (budget_count IS NULL OR spent_count + 1 <= budget_count)
      AND (budget_spend IS NULL OR spent_amount + ${value} <= budget_spend)`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** Gives back one decision's spend, in the transaction that spent it. */
export async function refundBudget(
  tx: Tx,
  workspaceId: string,
  offerId: string,
  value: number,
): Promise<void> {
  await sql`
    UPDATE offers SET spent_count = spent_count - 1, spent_amount = spent_amount - ${value}
    WHERE workspace_id = ${workspaceId} AND id = ${offerId}`.execute(tx);
}
