import type { Kysely } from 'kysely';
import {
  ConflictError,
  CorruptDataError,
  NotFoundError,
  ValidationError,
  decodeJson,
  zodDetails,
  type Clock,
} from '../shared/index.js';
import { segmentDefinitions } from '../segments/index.js';
import { atomically, type Database } from '../store/index.js';
import { checkEligibility } from './eligibility.js';
import { CreateOffer, OfferInput, type Offer } from './offer.js';

const iso = (ms: number) => new Date(ms).toISOString();

type Row = {
  id: string;
  version: number;
  definition: string;
  spent_count: number;
  spent_amount: number;
  created_at: number;
  updated_at: number;
};

/** A stored offer as the API shows it; a definition that does not decode is `corrupt_data`. */
export function toOffer(r: Row): Offer {
  const d = decodeJson(OfferInput, r.definition);
  if (d.kind === 'corrupt') {
    throw new CorruptDataError(`Offer "${r.id}" has an unreadable stored definition.`, [
      { path: 'definition', problem: d.problem },
    ]);
  }
  return {
    ...d.value,
    id: r.id,
    version: r.version,
    spent: { count: r.spent_count, amount: r.spent_amount },
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Validates an offer body: its shape, then its eligibility against the live segments. */
export async function checked(
  db: Kysely<Database>,
  workspaceId: string,
  body: unknown,
  withId: boolean,
): Promise<OfferInput & { id?: string }> {
  const parsed = (withId ? CreateOffer : OfferInput).safeParse(body);
  if (!parsed.success) throw new ValidationError('Invalid offer', zodDetails(parsed.error));
  const offer = parsed.data;
  const details = [];
  if (offer.eligibility !== undefined) {
    const segments = await segmentDefinitions(db, workspaceId);
    details.push(...checkEligibility(offer.eligibility, (id) => segments.get(id)));
  }
  if (
    offer.validFrom &&
    offer.validUntil &&
    Date.parse(offer.validFrom) >= Date.parse(offer.validUntil)
  )
    details.push({ path: 'validUntil', problem: 'must be after validFrom' });
  if (details.length > 0) throw new ValidationError('Invalid offer', details);
  return offer;
}

const selectOffer = (db: Kysely<Database>, workspaceId: string) =>
  db
    .selectFrom('offers')
    .select([
      'id',
      'version',
      'definition',
      'spent_count',
      'spent_amount',
      'created_at',
      'updated_at',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null);

export async function listOffers(db: Kysely<Database>, workspaceId: string): Promise<Offer[]> {
  const rows = await selectOffer(db, workspaceId).orderBy('id').execute();
  return rows.map(toOffer);
}

export async function getOffer(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<Offer> {
  const row = await selectOffer(db, workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`No offer "${id}".`);
  return toOffer(row);
}

export async function createOffer(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  body: unknown,
): Promise<Offer> {
  const { id, ...offer } = await checked(db, workspaceId, body, true);
  const offerId = id!;
  const now = clock.now();
  return atomically(db, async (tx) => {
    const existing = await tx
      .selectFrom('offers')
      .select(['deleted_at', 'version'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', offerId)
      .executeTakeFirst();
    if (existing && existing.deleted_at === null)
      throw new ConflictError(
        `Offer "${offerId}" exists; change it with PUT /v1/offers/${offerId}.`,
        [{ path: 'id', problem: 'already exists' }],
      );
    // A deleted offer's id may be used again: versions go on, so old decisions still
    // name the version they showed.
    const version = (existing?.version ?? 0) + 1;
    const definition = JSON.stringify(offer);
    const budget = {
      budget_count: offer.budget?.count ?? null,
      budget_spend: offer.budget?.spend ?? null,
    };
    if (existing) {
      await tx
        .updateTable('offers')
        .set({
          version,
          definition,
          ...budget,
          spent_count: 0,
          spent_amount: 0,
          created_at: now,
          updated_at: now,
          deleted_at: null,
        })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', offerId)
        .execute();
    } else {
      await tx
        .insertInto('offers')
        .values({
          workspace_id: workspaceId,
          id: offerId,
          version,
          definition,
          ...budget,
          created_at: now,
          updated_at: now,
          deleted_at: null,
        })
        .execute();
    }
    await tx
      .insertInto('offer_versions')
      .values({
        workspace_id: workspaceId,
        offer_id: offerId,
        version,
        definition,
        created_at: now,
      })
      .execute();
    return getOffer(tx, workspaceId, offerId);
  });
}

export async function updateOffer(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  id: string,
  body: unknown,
): Promise<Offer> {
  const offer = await checked(db, workspaceId, body, false);
  const now = clock.now();
  const definition = JSON.stringify(offer);
  const count = offer.budget?.count ?? null;
  const spend = offer.budget?.spend ?? null;
  return atomically(db, async (tx) => {
    // One conditional UPDATE: a decide spending at the same moment is ordered before or
    // after it, so a new budget is never set below what was spent.
    const r = await tx
      .updateTable('offers')
      .set((eb) => ({
        version: eb('version', '+', 1),
        definition,
        budget_count: count,
        budget_spend: spend,
        updated_at: now,
      }))
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .where((eb) =>
        eb.and([
          ...(count === null ? [] : [eb('spent_count', '<=', count)]),
          ...(spend === null ? [] : [eb('spent_amount', '<=', spend)]),
        ]),
      )
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const row = await selectOffer(tx, workspaceId).where('id', '=', id).executeTakeFirst();
      if (!row) throw new NotFoundError(`No offer "${id}".`);
      const details = [];
      if (count !== null && count < row.spent_count)
        details.push({
          path: 'budget.count',
          problem: `is below what was already spent (${row.spent_count})`,
        });
      if (spend !== null && spend < row.spent_amount)
        details.push({
          path: 'budget.spend',
          problem: `is below what was already spent (${row.spent_amount})`,
        });
      throw new ValidationError('Invalid offer', details);
    }
    const { version } = await tx
      .selectFrom('offers')
      .select('version')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('offer_versions')
      .values({ workspace_id: workspaceId, offer_id: id, version, definition, created_at: now })
      .execute();
    return getOffer(tx, workspaceId, id);
  });
}

/** Live offer ids of a workspace among `ids`. */
export async function liveOfferIds(
  db: Kysely<Database>,
  workspaceId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await selectOffer(db, workspaceId)
    .where('id', 'in', [...ids])
    .execute();
  return new Set(rows.map((r) => r.id));
}
