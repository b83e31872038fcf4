import { sql } from 'kysely';
import type { LoggedEvent, PipelineStage } from '../profiles/index.js';
import { decodeJson } from '../shared/index.js';
import type { Tx } from '../store/index.js';
import { decisionOfCode, markCodeRedeemed } from './codes.js';
import { PlacementInput } from './placement.js';

/** Events that count as a click on the offer a decision showed. */
const CLICKS = new Set(['Email Link Clicked', 'Offer Clicked', 'Push Notification Clicked']);
/** Events that redeem a coupon (and convert). */
const REDEMPTIONS = new Set(['Coupon Redeemed', 'Coupon Applied']);
/** Events that convert, attributed to the decision they name or the person's latest. */
const CONVERSIONS = new Set(['Order Completed']);

const text = (v: unknown): string | null =>
  typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null;
const amount = (p: Record<string, unknown>): number => {
  for (const k of ['revenue', 'total', 'value']) {
    const v = p[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return 0;
};

/** The decision ids an event names: `decision_id`, `decision_ids` (a tracked link's). */
function namedDecisions(p: Record<string, unknown>): string[] {
  const out: string[] = [];
  const one = text(p.decision_id);
  if (one) out.push(one);
  if (Array.isArray(p.decision_ids))
    for (const d of p.decision_ids.slice(0, 20)) if (text(d)) out.push(d as string);
  return out;
}

async function rewardRule(
  tx: Tx,
  ws: string,
  placementId: string,
  cache: Map<string, 'click' | 'conversion'>,
) {
  const key = `${ws}\u0000${placementId}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const row = await tx
    .selectFrom('placements')
    .select('definition')
    .where('workspace_id', '=', ws)
    .where('id', '=', placementId)
    .executeTakeFirst();
  const d = row ? decodeJson(PlacementInput, row.definition) : null;
  const rule = d?.kind === 'ok' ? d.value.reward : 'click';
  cache.set(key, rule);
  return rule;
}

type Kind = 'click' | 'redeem' | 'convert';

/**
 * Applies one event to one decision, inside its attribution window: sets the click,
 * redemption or conversion time (the first one counts), adds revenue, and sets the
 * reward the placement learns from (1 once its rule, click or conversion, is met).
 */
async function apply(
  tx: Tx,
  ws: string,
  decisionId: string,
  kinds: readonly Kind[],
  e: LoggedEvent,
  rules: Map<string, 'click' | 'conversion'>,
): Promise<void> {
  const d = await tx
    .selectFrom('decisions')
    .select([
      'id',
      'placement_id',
      'created_at',
      'attribution_ends_at',
      'clicked_at',
      'converted_at',
      'redeemed_at',
    ])
    .where('workspace_id', '=', ws)
    .where('id', '=', decisionId)
    .executeTakeFirst();
  if (!d || e.timestamp < d.created_at || e.timestamp > d.attribution_ends_at) return;
  const clicked = kinds.includes('click') ? (d.clicked_at ?? e.timestamp) : d.clicked_at;
  const converted =
    kinds.includes('convert') || kinds.includes('redeem')
      ? (d.converted_at ?? e.timestamp)
      : d.converted_at;
  const redeemed = kinds.includes('redeem') ? (d.redeemed_at ?? e.timestamp) : d.redeemed_at;
  const rule = await rewardRule(tx, ws, d.placement_id, rules);
  const reward = (rule === 'click' ? clicked : converted) !== null ? 1 : 0;
  const revenue = kinds.includes('convert') ? amount(e.properties) : 0;
  await tx
    .updateTable('decisions')
    .set({
      clicked_at: clicked,
      converted_at: converted,
      redeemed_at: redeemed,
      reward,
      revenue: sql`revenue + ${revenue}`,
    })
    .where('workspace_id', '=', ws)
    .where('id', '=', d.id)
    .execute();
}

/** The person's latest decision whose window holds `at` (for a conversion naming none). */
async function latestDecision(
  tx: Tx,
  ws: string,
  profileId: string,
  at: number,
): Promise<string | null> {
  const r = await tx
    .selectFrom('decisions')
    .select('id')
    .where('workspace_id', '=', ws)
    .where('profile_id', '=', profileId)
    .where('created_at', '<=', at)
    .where('attribution_ends_at', '>=', at)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.id ?? null;
}

/**
 * Rewards reach decisions as events, in the profile batch's transaction: a tracked click
 * carrying decision ids, a coupon redeemed (by code or decision id), an order completed
 * (naming a code or decision, else credited to the person's latest decision in its
 * window). Merged people's decisions and codes follow them to the survivor.
 */
export const decisionsStage: PipelineStage = {
  name: 'decisions',
  run: async (tx, changes) => {
    const rules = new Map<string, 'click' | 'conversion'>();
    for (const c of changes) {
      if (c.merged.length > 0) await followMerge(tx, c.workspaceId, c.profileId, c.merged);
      for (const e of c.events) {
        if (e.type !== 'track' || !e.event) continue;
        const name = e.event;
        const click = CLICKS.has(name);
        const redeem = REDEMPTIONS.has(name);
        const convert = CONVERSIONS.has(name);
        if (!click && !redeem && !convert) continue;
        const p = e.properties;
        const ids = namedDecisions(p);
        const code = text(p.coupon) ?? text(p.coupon_code) ?? text(p.code);
        const byCode =
          code && (redeem || convert) ? await decisionOfCode(tx, c.workspaceId, code) : null;
        if (byCode) {
          await markCodeRedeemed(tx, c.workspaceId, byCode.offerId, code!, e.timestamp);
          if (byCode.decisionId) ids.push(byCode.decisionId);
        }
        if (ids.length === 0 && convert) {
          const latest = await latestDecision(tx, c.workspaceId, c.profileId, e.timestamp);
          if (latest) ids.push(latest);
        }
        const kinds: Kind[] = [
          ...(click ? (['click'] as const) : []),
          ...(redeem || byCode ? (['redeem'] as const) : []),
          ...(convert ? (['convert'] as const) : []),
        ];
        for (const id of new Set(ids)) await apply(tx, c.workspaceId, id, kinds, e, rules);
      }
    }
    return changes;
  },
};

async function followMerge(tx: Tx, ws: string, winner: string, losers: readonly string[]) {
  await tx
    .updateTable('decisions')
    .set({ profile_id: winner })
    .where('workspace_id', '=', ws)
    .where('profile_id', 'in', [...losers])
    .execute();
  // A code per person per offer: when both held one for the same offer, the loser's stays
  // spent and keeps no owner.
  for (const loser of losers) {
    await sql`
      UPDATE offer_codes SET profile_id = CASE WHEN EXISTS (
        SELECT 1 FROM offer_codes w WHERE w.workspace_id = ${ws} AND w.profile_id = ${winner}
          AND w.offer_id = offer_codes.offer_id) THEN NULL ELSE ${winner} END
      WHERE workspace_id = ${ws} AND profile_id = ${loser}`.execute(tx);
  }
}
