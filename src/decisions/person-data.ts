import type { Kysely } from 'kysely';
import { z } from 'zod';
import { decodeJson } from '../shared/index.js';
import { atomically, type Database } from '../store/index.js';
import { Features } from './rows.js';

/** One logged decision as off-policy evaluation reads it. */
export interface LoggedDecision {
  context: Record<string, number>;
  action: string;
  reward: number;
  propensity: number;
}

const PAGE = 1000;

/**
 * The workspace's decision log, oldest first, as rows for `rapport eval policy`: only
 * decisions a policy chose (not the holdout, not a default for want of an eligible
 * offer), optionally of one placement. Paged by time and id, so a long log streams.
 */
export async function* decisionLogRows(
  db: Kysely<Database>,
  workspaceId: string,
  options: { placement?: string } = {},
): AsyncGenerator<LoggedDecision> {
  let after: { at: number; id: string } | null = null;
  for (;;) {
    let q = db
      .selectFrom('decisions')
      .select(['id', 'created_at', 'offer_id', 'features', 'reward', 'propensity'])
      .where('workspace_id', '=', workspaceId)
      .where('holdout', '=', 0)
      .where('distribution', '!=', '{}');
    if (options.placement) q = q.where('placement_id', '=', options.placement);
    if (after) {
      const { at, id } = after;
      q = q.where((eb) =>
        eb.or([eb('created_at', '>', at), eb.and([eb('created_at', '=', at), eb('id', '>', id)])]),
      );
    }
    const rows = await q.orderBy('created_at').orderBy('id').limit(PAGE).execute();
    for (const r of rows) {
      const f = decodeJson(Features, r.features);
      yield {
        context: f.kind === 'ok' ? f.value : {},
        action: r.offer_id,
        reward: r.reward,
        propensity: r.propensity,
      };
    }
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.created_at, id: last.id };
  }
}

/** Everything decisions hold about a person: their decisions and the codes they were given. */
export async function exportPersonDecisions(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<{ decisions: Record<string, unknown>[]; codes: Record<string, unknown>[] }> {
  const decisions = await db
    .selectFrom('decisions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .orderBy('created_at')
    .execute();
  const codes = await db
    .selectFrom('offer_codes')
    .select(['offer_id', 'code', 'assigned_at', 'redeemed_at', 'decision_id'])
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .execute();
  return {
    decisions: decisions.map((d) => ({
      ...d,
      distribution: parsed(d.distribution),
      features: parsed(d.features),
      context: parsed(d.context),
      reasons: parsed(d.reasons),
    })),
    codes: codes.map((c) => ({ ...c })),
  };
}

function parsed(text: string): unknown {
  const d = decodeJson(z.unknown(), text);
  return d.kind === 'ok' ? d.value : text;
}

/**
 * Erases a person from decisions: their decision rows go (what the policies learned from
 * them stays, as sums that name no one), and their codes stay spent but lose the link to
 * them, so a code is still never handed out twice.
 */
export async function erasePersonDecisions(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<{ decisions: number; codes: number }> {
  return atomically(db, async (tx) => {
    const d = await tx
      .deleteFrom('decisions')
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', '=', profileId)
      .executeTakeFirst();
    const c = await tx
      .updateTable('offer_codes')
      .set({ profile_id: null, decision_id: null })
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', '=', profileId)
      .executeTakeFirst();
    return { decisions: Number(d.numDeletedRows), codes: Number(c.numUpdatedRows) };
  });
}

/**
 * Retention of the decision log (`privacy.retention.decisionsDays`): up to `limit` of the
 * workspace's decisions made before `before` go, once their attribution window is over
 * (a reward can no longer reach them). What the policies learned stays, as sums.
 */
export async function deleteDecisionsBefore(
  db: Kysely<Database>,
  workspaceId: string,
  before: number,
  limit: number,
): Promise<number> {
  const ids = (
    await db
      .selectFrom('decisions')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('created_at', '<', before)
      .where('attribution_ends_at', '<', before)
      .orderBy('created_at')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return 0;
  await atomically(db, async (tx) => {
    await tx
      .updateTable('offer_codes')
      .set({ decision_id: null })
      .where('workspace_id', '=', workspaceId)
      .where('decision_id', 'in', ids)
      .execute();
    await tx.deleteFrom('decisions').where('id', 'in', ids).execute();
  });
  return ids.length;
}
