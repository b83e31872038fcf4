import type { Kysely } from 'kysely';
import {
  applyConsentChanges,
  emptyConsents,
  normalizeAddress,
  Consents,
  type ConsentChange,
  type Suppression,
} from '../privacy/index.js';
import type { Database } from '../store/index.js';

export async function loadConsents(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<Consents> {
  const row = await db
    .selectFrom('consents')
    .select('consents')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  if (!row) return emptyConsents();
  const parsed = Consents.safeParse(JSON.parse(row.consents));
  return parsed.success ? parsed.data : emptyConsents();
}

/** Applies changes (last writer wins by time, ties to the "no") and stores the result. */
export async function recordConsent(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  changes: readonly ConsentChange[],
  now: number,
): Promise<Consents> {
  const next = applyConsentChanges(await loadConsents(db, workspaceId, profileId), changes);
  const text = JSON.stringify(next);
  await db
    .insertInto('consents')
    .values({ workspace_id: workspaceId, profile_id: profileId, consents: text, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'profile_id']).doUpdateSet({ consents: text, updated_at: now }),
    )
    .execute();
  return next;
}

export async function suppress(
  db: Kysely<Database>,
  workspaceId: string,
  channel: string,
  address: string,
  reason: string,
  at: number,
): Promise<void> {
  await db
    .insertInto('suppressions')
    .values({
      workspace_id: workspaceId,
      channel,
      address: normalizeAddress(channel as 'email', address) ?? address,
      reason,
      at,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel', 'address']).doNothing())
    .execute();
}

export async function suppressionsFor(
  db: Kysely<Database>,
  workspaceId: string,
  channel: string,
  address: string | undefined,
): Promise<Suppression[]> {
  if (!address) return [];
  const rows = await db
    .selectFrom('suppressions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .where('address', '=', normalizeAddress(channel as 'email', address) ?? address)
    .execute();
  return rows.map(
    (r) => ({ channel: r.channel, address: r.address, reason: r.reason, at: r.at }) as Suppression,
  );
}
