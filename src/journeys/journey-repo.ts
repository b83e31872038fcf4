import type { Kysely } from 'kysely';
import { atomically, type Database } from '../store/index.js';
import {
  ConflictError,
  CorruptDataError,
  NotFoundError,
  ValidationError,
  decodeJson,
  newId,
  type Clock,
  type ErrorDetail,
} from '../shared/index.js';
import { missingTemplateProblem } from '../messaging/index.js';
import { segmentDefinitions } from '../segments/index.js';
import { conditionValidator } from './conditions.js';
import { listPlacements } from '../decisions/index.js';
import { buildFromRecipe, JourneyDefinition, validateJourney } from './core/index.js';
import type { JourneyOut, JourneyState } from './journey.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Validates a journey against the workspace; problems carry their JSON path. */
export async function checkJourney(
  db: Kysely<Database>,
  workspaceId: string,
  input: unknown,
  pathPrefix = 'definition',
): Promise<JourneyDefinition> {
  const definitions = await segmentDefinitions(db, workspaceId);
  const lookup = (id: string) => definitions.get(id);
  const r = validateJourney(input, { validateCondition: conditionValidator(lookup) });
  if (r.kind !== 'ok') {
    throw new ValidationError(
      'Invalid journey: see details for each problem.',
      r.details.map((d: ErrorDetail) => ({
        path: d.path ? `${pathPrefix}.${d.path}` : pathPrefix,
        problem: d.problem,
      })),
    );
  }
  const segmentRef =
    r.value.trigger.type === 'segment'
      ? (r.value.trigger as { segmentId: string }).segmentId
      : null;
  if (segmentRef && !lookup(segmentRef)) {
    throw new ValidationError('Invalid journey: the trigger names an unknown segment.', [
      {
        path: `${pathPrefix}.trigger.segmentId`,
        problem: `no segment "${segmentRef}" in this workspace`,
      },
    ]);
  }
  await checkPlacements(db, workspaceId, r.value, pathPrefix);
  const missing: ErrorDetail[] = [];
  for (const [i, step] of r.value.steps.entries()) {
    if (step.type !== 'send' || step.message.templateId === undefined) continue;
    const problem = await missingTemplateProblem(
      db,
      workspaceId,
      step.message.templateId,
      step.channel,
    );
    if (problem) missing.push({ path: `${pathPrefix}.steps.${i}.message.templateId`, problem });
  }
  if (missing.length > 0)
    throw new ValidationError('Invalid journey: a send step names a missing template.', missing);
  return r.value;
}

/** Each decide step must name a placement of the workspace (it is decided at run time). */
async function checkPlacements(
  db: Kysely<Database>,
  workspaceId: string,
  def: JourneyDefinition,
  pathPrefix: string,
): Promise<void> {
  const asked = def.steps.flatMap((s, i) =>
    s.type === 'decide' ? [{ i, name: s.placement }] : [],
  );
  if (asked.length === 0) return;
  const known = new Set((await listPlacements(db, workspaceId)).map((p) => p.name));
  const unknown = asked.filter((a) => !known.has(a.name));
  if (unknown.length > 0)
    throw new ValidationError(
      'Invalid journey: a decide step names an unknown placement.',
      unknown.map((a) => ({
        path: `${pathPrefix}.steps.${a.i}.placement`,
        problem: `no placement "${a.name}" in this workspace (create it with POST /v1/placements)`,
      })),
    );
}

type Row = Awaited<ReturnType<typeof getRow>>;

async function getRow(db: Kysely<Database>, workspaceId: string, id: string) {
  const row = await db
    .selectFrom('journeys')
    .innerJoin('journey_versions', (j) =>
      j
        .onRef('journey_versions.workspace_id', '=', 'journeys.workspace_id')
        .onRef('journey_versions.journey_id', '=', 'journeys.id')
        .onRef('journey_versions.version', '=', 'journeys.version'),
    )
    .select([
      'journeys.id',
      'journeys.name',
      'journeys.status',
      'journeys.version',
      'journeys.recipe',
      'journeys.created_at',
      'journeys.updated_at',
      'journey_versions.definition',
    ])
    .where('journeys.workspace_id', '=', workspaceId)
    .where('journeys.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No journey "${id}".`);
  return row;
}

/** A journey as the API shows it, its definition decoded. */
export type StoredJourney = Omit<JourneyOut, 'definition'> & { definition: JourneyDefinition };

/**
 * The journey's current definition, decoded. One that does not decode cannot be shown
 * or changed from: the request fails with `corrupt_data` naming the field (the stage
 * meanwhile leaves that version out, see `loadJourneys`).
 */
function definitionOf(row: Row): JourneyDefinition {
  const d = decodeJson(JourneyDefinition, row.definition);
  if (d.kind === 'ok') return d.value;
  throw new CorruptDataError(
    `Journey "${row.id}" version ${row.version} has an unreadable stored definition.`,
    [{ path: 'definition', problem: d.problem }],
  );
}

function toOut(row: Row): StoredJourney {
  return {
    id: row.id,
    name: row.name,
    status: row.status as JourneyState,
    version: row.version,
    recipe: row.recipe,
    definition: definitionOf(row),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function getJourney(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<StoredJourney> {
  return toOut(await getRow(db, workspaceId, id));
}

export async function listJourneys(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<StoredJourney[]> {
  const ids = await db
    .selectFrom('journeys')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .execute();
  return Promise.all(ids.map((r) => getJourney(db, workspaceId, r.id)));
}

/** Creates a journey from a definition or a recipe; its id is generated unless given. */
export async function createJourney(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  input: {
    recipe?: string;
    params?: Record<string, unknown>;
    name?: string;
    definition?: unknown;
    activate: boolean;
  },
): Promise<JourneyOut> {
  let raw: unknown;
  let recipe: string | null = null;
  if (input.recipe !== undefined) {
    const built = buildFromRecipe(input.recipe, input.params ?? {});
    if (built.kind !== 'ok') {
      throw new ValidationError(
        'Invalid recipe parameters: see details.',
        built.details.map((d) => ({ path: d.path, problem: d.problem })),
      );
    }
    recipe = input.recipe;
    raw = { ...built.value, id: newId('jrn'), ...(input.name ? { name: input.name } : {}) };
  } else {
    const def = input.definition;
    if (typeof def !== 'object' || def === null || Array.isArray(def)) {
      throw new ValidationError(
        'Send {"definition": {...}} or {"recipe": "...", "params": {...}}.',
        [{ path: 'definition', problem: 'must be a journey definition object' }],
      );
    }
    const d = def as Record<string, unknown>;
    raw = { ...d, id: typeof d.id === 'string' ? d.id : newId('jrn'), version: 1 };
  }
  const definition = await checkJourney(db, workspaceId, raw);
  const exists = await db
    .selectFrom('journeys')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', definition.id)
    .executeTakeFirst();
  if (exists)
    throw new ConflictError(
      `A journey "${definition.id}" already exists; PUT /v1/journeys/${definition.id} changes it.`,
    );
  const now = clock.now();
  const status: JourneyState = input.activate ? 'active' : 'draft';
  await atomically(db, async (tx) => {
    await tx
      .insertInto('journeys')
      .values({
        workspace_id: workspaceId,
        id: definition.id,
        name: definition.name,
        status,
        version: 1,
        recipe,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await tx
      .insertInto('journey_versions')
      .values({
        workspace_id: workspaceId,
        journey_id: definition.id,
        version: 1,
        definition: JSON.stringify({ ...definition, version: 1 }),
        created_at: now,
      })
      .execute();
  });
  return getJourney(db, workspaceId, definition.id);
}

/** A changed definition becomes a new version; running people finish on theirs. */
export async function updateJourney(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  id: string,
  input: unknown,
): Promise<JourneyOut> {
  const current = await getRow(db, workspaceId, id);
  const body =
    (typeof input === 'object' && input !== null
      ? (input as Record<string, unknown>).definition
      : undefined) ?? input;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('Send the new definition.', [
      { path: 'definition', problem: 'must be an object' },
    ]);
  }
  const version = current.version + 1;
  const definition = await checkJourney(db, workspaceId, {
    ...(body as Record<string, unknown>),
    id,
    version,
  });
  // An unreadable current version is simply replaced: that is how it gets repaired.
  const before = decodeJson(JourneyDefinition, current.definition);
  if (
    before.kind === 'ok' &&
    JSON.stringify({ ...before.value, version }) === JSON.stringify(definition)
  )
    return toOut(current);
  const now = clock.now();
  await atomically(db, async (tx) => {
    await tx
      .insertInto('journey_versions')
      .values({
        workspace_id: workspaceId,
        journey_id: id,
        version,
        definition: JSON.stringify(definition),
        created_at: now,
      })
      .execute();
    await tx
      .updateTable('journeys')
      .set({ version, name: definition.name, updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  });
  return getJourney(db, workspaceId, id);
}

export async function setJourneyStatus(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  id: string,
  status: JourneyState,
): Promise<JourneyOut> {
  const row = await getRow(db, workspaceId, id);
  if (row.status === 'archived' && status !== 'archived') {
    throw new ConflictError(`Journey "${id}" is archived; create a new one instead.`);
  }
  await db
    .updateTable('journeys')
    .set({ status, updated_at: clock.now() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
  return getJourney(db, workspaceId, id);
}

export interface LoadedJourney {
  id: string;
  status: JourneyState;
  version: number;
  definition: JourneyDefinition;
}

/** A stored journey version whose definition does not decode. */
export interface UnreadableVersion {
  journeyId: string;
  version: number;
  problem: string;
}

/**
 * Every version of every journey of a workspace (runs finish on their own version). A
 * version whose definition does not decode is left out and listed in `unreadable`, so one
 * bad row stops that journey (its runs wait, see the stage), not the workspace's others.
 */
export async function loadJourneys(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<{
  current: LoadedJourney[];
  versions: Map<string, JourneyDefinition>;
  unreadable: UnreadableVersion[];
}> {
  const journeys = await db
    .selectFrom('journeys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .execute();
  const versions = await db
    .selectFrom('journey_versions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .execute();
  const map = new Map<string, JourneyDefinition>();
  const unreadable: UnreadableVersion[] = [];
  for (const v of versions) {
    const d = decodeJson(JourneyDefinition, v.definition);
    if (d.kind === 'ok') map.set(`${v.journey_id}@${v.version}`, d.value);
    else unreadable.push({ journeyId: v.journey_id, version: v.version, problem: d.problem });
  }
  const current: LoadedJourney[] = [];
  for (const j of journeys) {
    const definition = map.get(`${j.id}@${j.version}`);
    if (definition)
      current.push({ id: j.id, status: j.status as JourneyState, version: j.version, definition });
  }
  return { current, versions: map, unreadable };
}
