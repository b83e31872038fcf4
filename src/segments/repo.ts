import type { Kysely } from 'kysely';
import {
  ConflictError,
  CorruptDataError,
  NotFoundError,
  ValidationError,
  decodeJson,
  newId,
  type Clock,
} from '../shared/index.js';
import { atomically, type Database } from '../store/index.js';
import { identitiesOf } from '../profiles/index.js';
import { builtInSegments } from './built-ins.js';
import { SegmentDefinition, validateSegment } from './core/index.js';
import type { MemberPage, MembersQuery, Segment } from './segment.js';
import { unknownComputedTraits } from './typos.js';

const iso = (ms: number) => new Date(ms).toISOString();

type Row = {
  id: string;
  name: string;
  description: string | null;
  definition: string;
  kind: string;
  version: number;
  backfilled_version: number;
  created_at: number;
  updated_at: number;
};

/**
 * A stored segment as the API shows it. A definition that does not decode fails the
 * request with `corrupt_data` naming the field; PUT or DELETE of that segment still
 * work, and are how it is repaired (the stage meanwhile leaves it out, see the registry).
 */
function toSegment(r: Row, members?: number): Segment {
  const definition = decodeJson(SegmentDefinition, r.definition);
  if (definition.kind === 'corrupt') {
    throw new CorruptDataError(`Segment "${r.id}" has an unreadable stored definition.`, [
      { path: 'definition', problem: definition.problem },
    ]);
  }
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    definition: definition.value,
    kind: r.kind,
    version: r.version,
    ready: r.backfilled_version >= r.version,
    ...(members === undefined ? {} : { members }),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function storedDefinitions(db: Kysely<Database>, workspaceId: string) {
  return db
    .selectFrom('segments')
    .select(['id', 'definition'])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .execute();
}

/**
 * The live segments' definitions by id: what a condition referring to a segment checks
 * against. One that does not decode counts as unknown.
 */
export async function segmentDefinitions(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<Map<string, SegmentDefinition>> {
  const out = new Map<string, SegmentDefinition>();
  for (const r of await storedDefinitions(db, workspaceId)) {
    const d = decodeJson(SegmentDefinition, r.definition);
    if (d.kind === 'ok') out.set(r.id, d.value);
  }
  return out;
}

/** Validates a segment body against the workspace (unknown references, cycles). */
export async function checkSegment(
  db: Kysely<Database>,
  workspaceId: string,
  input: unknown,
  selfId?: string,
): Promise<{ name: string; description: string | null; definition: SegmentDefinition }> {
  const defs = await segmentDefinitions(db, workspaceId);
  const result = validateSegment(input, {
    ...(selfId ? { selfId } : {}),
    lookup: (id) => defs.get(id),
  });
  const details =
    result.kind === 'ok' ? unknownComputedTraits(result.value.definition) : result.details;
  if (result.kind !== 'ok' || details.length > 0)
    throw new ValidationError('Invalid segment: see details for each problem.', details);
  const description = (input as { description?: unknown }).description;
  return {
    name: result.value.name,
    description: typeof description === 'string' ? description : null,
    definition: result.value.definition,
  };
}

export async function createSegment(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  input: unknown,
): Promise<Segment> {
  const checked = await checkSegment(db, workspaceId, input);
  const now = clock.now();
  const row: Row = {
    id: newId('seg'),
    name: checked.name,
    description: checked.description,
    definition: JSON.stringify(checked.definition),
    kind: 'custom',
    version: 1,
    backfilled_version: 0,
    created_at: now,
    updated_at: now,
  };
  await db
    .insertInto('segments')
    .values({ ...row, workspace_id: workspaceId, deleted_at: null })
    .execute();
  return toSegment(row, 0);
}

async function getRow(db: Kysely<Database>, workspaceId: string, id: string): Promise<Row> {
  const row = await db
    .selectFrom('segments')
    .select([
      'id',
      'name',
      'description',
      'definition',
      'kind',
      'version',
      'backfilled_version',
      'created_at',
      'updated_at',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No segment "${id}".`);
  return row;
}

async function memberCount(db: Kysely<Database>, workspaceId: string, id: string): Promise<number> {
  const r = await db
    .selectFrom('segment_members')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('segment_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function getSegment(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<Segment> {
  const row = await getRow(db, workspaceId, id);
  return toSegment(row, await memberCount(db, workspaceId, id));
}

export async function listSegments(db: Kysely<Database>, workspaceId: string): Promise<Segment[]> {
  const rows = await db
    .selectFrom('segments')
    .select([
      'id',
      'name',
      'description',
      'definition',
      'kind',
      'version',
      'backfilled_version',
      'created_at',
      'updated_at',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .orderBy('kind')
    .orderBy('name')
    .execute();
  const counts = await db
    .selectFrom('segment_members')
    .select(['segment_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .groupBy('segment_id')
    .execute();
  const byId = new Map(counts.map((c) => [c.segment_id, Number(c.n)]));
  return rows.map((r) => toSegment(r, byId.get(r.id) ?? 0));
}

/** A changed definition is a new version; members are back-filled for it. */
export async function updateSegment(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  id: string,
  input: unknown,
): Promise<Segment> {
  const row = await getRow(db, workspaceId, id);
  if (row.kind !== 'custom')
    throw new ConflictError(`"${id}" is a built-in segment and cannot be changed.`);
  const checked = await checkSegment(db, workspaceId, input, id);
  const definition = JSON.stringify(checked.definition);
  const version = definition === row.definition ? row.version : row.version + 1;
  const now = clock.now();
  await db
    .updateTable('segments')
    .set({
      name: checked.name,
      description: checked.description,
      definition,
      version,
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
  return getSegment(db, workspaceId, id);
}

export async function deleteSegment(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  id: string,
): Promise<void> {
  const row = await getRow(db, workspaceId, id);
  if (row.kind !== 'custom')
    throw new ConflictError(`"${id}" is a built-in segment and cannot be deleted.`);
  // On the stored text, so a definition that no longer decodes still counts as a user.
  const users = (await storedDefinitions(db, workspaceId)).filter(
    (r) => r.id !== id && r.definition.includes(JSON.stringify(id)),
  );
  if (users.length > 0) {
    throw new ConflictError(
      `Segment "${id}" is used by ${users.map((u) => u.id).join(', ')}; change those first.`,
    );
  }
  const now = clock.now();
  await atomically(db, async (tx) => {
    await tx
      .updateTable('segments')
      .set({ deleted_at: now, updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
    await tx
      .deleteFrom('segment_members')
      .where('workspace_id', '=', workspaceId)
      .where('segment_id', '=', id)
      .execute();
    await tx
      .deleteFrom('segment_checks')
      .where('workspace_id', '=', workspaceId)
      .where('segment_id', '=', id)
      .execute();
  });
}

/** Creates the lifecycle and RFM segments of a workspace; a no-op once they exist. */
export async function ensureBuiltIns(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<void> {
  const now = clock.now();
  const existing = new Set(
    (
      await db
        .selectFrom('segments')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('kind', '!=', 'custom')
        .execute()
    ).map((r) => r.id),
  );
  const missing = builtInSegments().filter((b) => !existing.has(b.id));
  if (missing.length === 0) return;
  await db
    .insertInto('segments')
    .values(
      missing.map((b) => ({
        workspace_id: workspaceId,
        id: b.id,
        name: b.name,
        description: b.description,
        definition: JSON.stringify(b.definition),
        kind: b.kind,
        version: 1,
        backfilled_version: 0,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['workspace_id', 'id']).doNothing())
    .execute();
}

export async function listMembers(
  db: Kysely<Database>,
  workspaceId: string,
  segmentId: string,
  query: MembersQuery,
): Promise<MemberPage> {
  await getRow(db, workspaceId, segmentId);
  let q = db
    .selectFrom('segment_members')
    .select(['profile_id', 'since'])
    .where('workspace_id', '=', workspaceId)
    .where('segment_id', '=', segmentId);
  if (query.cursor) q = q.where('profile_id', '>', query.cursor);
  const rows = await q
    .orderBy('profile_id')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const ids = await identitiesOf(
    db,
    workspaceId,
    page.map((p) => p.profile_id),
  );
  return {
    members: page.map((p) => ({
      profileId: p.profile_id,
      since: iso(p.since),
      identities: ids.get(p.profile_id) ?? [],
    })),
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.profile_id : null,
  };
}

/** The segments one person is in, for the profile API. */
export async function segmentsOf(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<{ id: string; name: string; since: string }[]> {
  const rows = await db
    .selectFrom('segment_members')
    .innerJoin('segments', (j) =>
      j
        .onRef('segments.id', '=', 'segment_members.segment_id')
        .onRef('segments.workspace_id', '=', 'segment_members.workspace_id'),
    )
    .select(['segments.id', 'segments.name', 'segment_members.since'])
    .where('segment_members.workspace_id', '=', workspaceId)
    .where('segment_members.profile_id', '=', profileId)
    .where('segments.deleted_at', 'is', null)
    .orderBy('segments.name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, since: iso(r.since) }));
}

/** The ids of the segments one person is a member of (deleted segments included). */
export async function memberSegmentIds(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('segment_members')
    .select('segment_id')
    .where('workspace_id', '=', workspaceId)
    .where('profile_id', '=', profileId)
    .execute();
  return new Set(rows.map((r) => r.segment_id));
}
