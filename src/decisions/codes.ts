import { sql, type Kysely } from 'kysely';
import { NotFoundError } from '../shared/index.js';
import type { Database, Store, Tx } from '../store/index.js';
import type { CodesResult } from './offer.js';

const CHUNK = 500;

/**
 * Adds codes to an offer's pool. A code already in the pool is counted as a duplicate
 * and left as it is (handed out or not), so importing the same file twice is harmless.
 */
export async function importCodes(
  db: Kysely<Database>,
  workspaceId: string,
  offerId: string,
  codes: readonly string[],
  now: number,
): Promise<CodesResult> {
  const offer = await db
    .selectFrom('offers')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', offerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!offer) throw new NotFoundError(`No offer "${offerId}".`);
  const unique = [...new Set(codes)];
  let imported = 0;
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = unique.slice(i, i + CHUNK).map((code) => ({
      workspace_id: workspaceId,
      offer_id: offerId,
      code,
      imported_at: now,
    }));
    const r = await db
      .insertInto('offer_codes')
      .values(rows)
      .onConflict((oc) => oc.columns(['workspace_id', 'offer_id', 'code']).doNothing())
      .executeTakeFirst();
    imported += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return {
    imported,
    duplicates: codes.length - imported,
    free: await freeCodes(db, workspaceId, offerId),
  };
}

export async function freeCodes(
  db: Kysely<Database>,
  workspaceId: string,
  offerId: string,
): Promise<number> {
  const r = await db
    .selectFrom('offer_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('offer_id', '=', offerId)
    .where('assigned_at', 'is', null)
    .executeTakeFirstOrThrow();
  return r.n;
}

/** The code a person already holds for an offer, if any. */
export async function codeOf(
  db: Kysely<Database>,
  workspaceId: string,
  offerId: string,
  profileId: string,
): Promise<{ code: string; redeemed: boolean } | null> {
  const r = await db
    .selectFrom('offer_codes')
    .select(['code', 'redeemed_at'])
    .where('workspace_id', '=', workspaceId)
    .where('offer_id', '=', offerId)
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  return r ? { code: r.code, redeemed: r.redeemed_at !== null } : null;
}

/**
 * Hands out one free code, or null when the pool is empty. One statement claims it: on
 * PostgreSQL the inner SELECT skips rows another worker holds (SKIP LOCKED) and the
 * outer `assigned_at IS NULL` re-checks under the row lock; SQLite has one writer. So no
 * code is handed out twice, and a person holds at most one per offer (unique index; a
 * race on that fails the transaction, which is retried and then finds their code).
 */
export async function claimCode(
  store: Store,
  tx: Tx,
  workspaceId: string,
  offerId: string,
  profileId: string | null,
  decisionId: string,
  now: number,
): Promise<string | null> {
  const lock = store.kind === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const r = await sql<{ code: string }>`
    UPDATE offer_codes SET assigned_at = ${now}, profile_id = ${profileId}, decision_id = ${decisionId}
    WHERE id = (
      SELECT id FROM offer_codes
      WHERE workspace_id = ${workspaceId} AND offer_id = ${offerId} AND assigned_at IS NULL
      ORDER BY id LIMIT 1 ${lock}
    ) AND assigned_at IS NULL
    RETURNING code`.execute(tx);
  return r.rows[0]?.code ?? null;
}

/** The decision a code was handed out with (a redemption names the code). */
export async function decisionOfCode(
  db: Kysely<Database>,
  workspaceId: string,
  code: string,
): Promise<{ offerId: string; decisionId: string | null } | null> {
  const r = await db
    .selectFrom('offer_codes')
    .select(['offer_id', 'decision_id'])
    .where('workspace_id', '=', workspaceId)
    .where('code', '=', code)
    .where('assigned_at', 'is not', null)
    .executeTakeFirst();
  return r ? { offerId: r.offer_id, decisionId: r.decision_id } : null;
}

export async function markCodeRedeemed(
  db: Kysely<Database>,
  workspaceId: string,
  offerId: string,
  code: string,
  at: number,
): Promise<void> {
  await db
    .updateTable('offer_codes')
    .set({ redeemed_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('offer_id', '=', offerId)
    .where('code', '=', code)
    .where('redeemed_at', 'is', null)
    .execute();
}
