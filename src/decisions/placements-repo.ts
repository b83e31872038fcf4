import type { Kysely } from 'kysely';
import {
  ConflictError,
  CorruptDataError,
  NotFoundError,
  ValidationError,
  decodeJson,
  zodDetails,
  type Clock,
  type ErrorDetail,
} from '../shared/index.js';
import { atomically, type Database } from '../store/index.js';
import { liveOfferIds } from './offers-repo.js';
import { CreatePlacement, PlacementInput, type Placement } from './placement.js';

const iso = (ms: number) => new Date(ms).toISOString();

type Row = {
  id: string;
  version: number;
  definition: string;
  created_at: number;
  updated_at: number;
};

export function toPlacement(r: Row): Placement {
  const d = decodeJson(PlacementInput, r.definition);
  if (d.kind === 'corrupt') {
    throw new CorruptDataError(`Placement "${r.id}" has an unreadable stored definition.`, [
      { path: 'definition', problem: d.problem },
    ]);
  }
  return {
    ...d.value,
    name: r.id,
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

async function checked(
  db: Kysely<Database>,
  workspaceId: string,
  body: unknown,
  withName: boolean,
): Promise<PlacementInput & { name?: string }> {
  const parsed = (withName ? CreatePlacement : PlacementInput).safeParse(body);
  if (!parsed.success) throw new ValidationError('Invalid placement', zodDetails(parsed.error));
  const p = parsed.data;
  const live = await liveOfferIds(db, workspaceId, [...p.candidates, p.default]);
  const details: ErrorDetail[] = [];
  p.candidates.forEach((id, i) => {
    if (!live.has(id)) details.push({ path: `candidates.${i}`, problem: `no offer "${id}"` });
  });
  if (new Set(p.candidates).size !== p.candidates.length)
    details.push({ path: 'candidates', problem: 'names an offer twice' });
  if (!live.has(p.default)) details.push({ path: 'default', problem: `no offer "${p.default}"` });
  if (details.length > 0) throw new ValidationError('Invalid placement', details);
  return p;
}

const selectPlacement = (db: Kysely<Database>, workspaceId: string) =>
  db
    .selectFrom('placements')
    .select(['id', 'version', 'definition', 'created_at', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null);

export async function listPlacements(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<Placement[]> {
  return (await selectPlacement(db, workspaceId).orderBy('id').execute()).map(toPlacement);
}

export async function getPlacement(
  db: Kysely<Database>,
  workspaceId: string,
  name: string,
): Promise<Placement> {
  const row = await selectPlacement(db, workspaceId).where('id', '=', name).executeTakeFirst();
  if (!row) throw new NotFoundError(`No placement "${name}".`);
  return toPlacement(row);
}

export async function createPlacement(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  body: unknown,
): Promise<Placement> {
  const { name, ...p } = await checked(db, workspaceId, body, true);
  const id = name!;
  const now = clock.now();
  return atomically(db, async (tx) => {
    const existing = await tx
      .selectFrom('placements')
      .select(['deleted_at', 'version'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (existing && existing.deleted_at === null)
      throw new ConflictError(
        `Placement "${id}" exists; change it with PUT /v1/placements/${id}.`,
        [{ path: 'name', problem: 'already exists' }],
      );
    const row = {
      version: (existing?.version ?? 0) + 1,
      definition: JSON.stringify(p),
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    if (existing)
      await tx
        .updateTable('placements')
        .set(row)
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .execute();
    else
      await tx
        .insertInto('placements')
        .values({ workspace_id: workspaceId, id, ...row })
        .execute();
    return getPlacement(tx, workspaceId, id);
  });
}

/** A new version; its policy starts learning afresh when the policy or candidates changed. */
export async function updatePlacement(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  name: string,
  body: unknown,
): Promise<Placement> {
  // Unknown here is a 404 before any of the body is judged: another workspace's
  // placement must look the same whatever the body names.
  await getPlacement(db, workspaceId, name);
  const p = await checked(db, workspaceId, body, false);
  return atomically(db, async (tx) => {
    const r = await tx
      .updateTable('placements')
      .set((eb) => ({
        version: eb('version', '+', 1),
        definition: JSON.stringify(p),
        updated_at: clock.now(),
      }))
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', name)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new NotFoundError(`No placement "${name}".`);
    return getPlacement(tx, workspaceId, name);
  });
}

export async function deletePlacement(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  name: string,
): Promise<void> {
  const r = await db
    .updateTable('placements')
    .set({ deleted_at: clock.now(), updated_at: clock.now() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', name)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new NotFoundError(`No placement "${name}".`);
}

/** Live placements that name an offer (as a candidate or default). */
export async function placementsUsing(
  db: Kysely<Database>,
  workspaceId: string,
  offerId: string,
): Promise<string[]> {
  const all = await selectPlacement(db, workspaceId).execute();
  return all.flatMap((r) => {
    const d = decodeJson(PlacementInput, r.definition);
    return d.kind === 'ok' && (d.value.default === offerId || d.value.candidates.includes(offerId))
      ? [r.id]
      : [];
  });
}
