import type { Kysely } from 'kysely';
import {
  eventUrlWarnings,
  MessageTemplate,
  TemplateChannel,
  validateTemplate,
  type MessageTemplateInput,
  type TemplateWarning,
} from '../channels/index.js';
import {
  ConflictError,
  didYouMean,
  NotFoundError,
  ValidationError,
  type Clock,
} from '../shared/index.js';
import type { Database } from '../store/index.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { assertTemplateSensitive } from './sensitive-templates.js';

const iso = (ms: number) => new Date(ms).toISOString();

export interface StoredTemplate {
  template: MessageTemplate;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * Validates a template: schema problems by path, Liquid syntax errors by field, line and
 * column. A template that does not parse is refused when saved, not when sent.
 */
export function checkTemplate(input: unknown): MessageTemplate {
  const r = validateTemplate(input);
  if (r.kind === 'ok') return r.template;
  throw new ValidationError(
    'Invalid template: see details for each problem.',
    r.errors.map((e) => ({
      path: e.field,
      problem:
        e.line !== undefined ? `line ${e.line}, column ${e.col ?? 0}: ${e.message}` : e.message,
    })),
  );
}

function toStored(row: {
  definition: string;
  version: number;
  created_at: number;
  updated_at: number;
}): StoredTemplate {
  return {
    template: MessageTemplate.parse(JSON.parse(row.definition)),
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function getTemplate(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<StoredTemplate | null> {
  const row = await db
    .selectFrom('message_templates')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

export async function requireTemplate(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<StoredTemplate> {
  const t = await getTemplate(db, workspaceId, id);
  if (!t) throw new NotFoundError(`No template "${id}".`);
  return t;
}

export async function listTemplates(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<StoredTemplate[]> {
  const rows = await db
    .selectFrom('message_templates')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
  return rows.map(toStored);
}

/** A saved template, with what is worth knowing about it but did not stop the save. */
export interface SavedTemplate extends StoredTemplate {
  warnings: TemplateWarning[];
}

/** Links whose host event data decides, in every variant of the template. */
export function templateWarnings(template: MessageTemplate): TemplateWarning[] {
  return [
    ...eventUrlWarnings(template),
    ...(template.nonPersonalized
      ? eventUrlWarnings(template.nonPersonalized, 'nonPersonalized.')
      : []),
  ];
}

export async function saveTemplate(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
  input: unknown,
  options: { id?: string; create?: boolean } = {},
): Promise<SavedTemplate> {
  const body =
    options.id !== undefined && typeof input === 'object' && input !== null
      ? { ...input, id: options.id }
      : input;
  const template = checkTemplate(body);
  await assertTemplateSensitive(db, workspaceId, template);
  const now = clock.now();
  const existing = await db
    .selectFrom('message_templates')
    .select(['version'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', template.id)
    .executeTakeFirst();
  if (existing && options.create)
    throw new ConflictError(
      `A template "${template.id}" exists; PUT /v1/templates/${template.id} changes it.`,
    );
  if (!existing && options.id !== undefined && !options.create)
    throw new NotFoundError(`No template "${template.id}".`);
  const definition = JSON.stringify(template);
  if (existing) {
    await db
      .updateTable('message_templates')
      .set({
        name: template.name,
        channel: template.channel,
        definition,
        version: existing.version + 1,
        updated_at: now,
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', template.id)
      .execute();
  } else {
    await db
      .insertInto('message_templates')
      .values({
        workspace_id: workspaceId,
        id: template.id,
        name: template.name,
        channel: template.channel,
        definition,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  return {
    ...(await requireTemplate(db, workspaceId, template.id)),
    warnings: templateWarnings(template),
  };
}

/** The starter templates the journey templates refer to; existing ones are kept. */
export async function ensureDefaultTemplates(
  db: Kysely<Database>,
  clock: Clock,
  workspaceId: string,
): Promise<void> {
  const now = clock.now();
  const templates: MessageTemplateInput[] = DEFAULT_TEMPLATES;
  await db
    .insertInto('message_templates')
    .values(
      templates.map((t) => {
        const parsed = checkTemplate(t);
        return {
          workspace_id: workspaceId,
          id: parsed.id,
          name: parsed.name,
          channel: parsed.channel,
          definition: JSON.stringify(parsed),
          version: 1,
          created_at: now,
          updated_at: now,
        };
      }),
    )
    .onConflict((oc) => oc.columns(['workspace_id', 'id']).doNothing())
    .execute();
}

/** The template a send step names, for its channel: `<id>.<channel>` first, then `<id>`. */
export async function templateForChannel(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  channel: string,
): Promise<MessageTemplate | null> {
  const specific = await getTemplate(db, workspaceId, `${id}.${channel}`);
  if (specific) return specific.template;
  const plain = await getTemplate(db, workspaceId, id);
  return plain && plain.template.channel === channel ? plain.template : null;
}

/**
 * Why a send step's template would not be found at send time, or null when it would:
 * checked when a journey is saved, so a typo is a 400 then and not a failed message later.
 */
export async function missingTemplateProblem(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  channel: string,
): Promise<string | null> {
  // A webhook send renders nothing: the template id goes to the receiver as it is.
  if (channel === 'webhook') return null;
  // A channel chosen per person (the preferred one) needs the template on one of them.
  const channels = (TemplateChannel.options as readonly string[]).includes(channel)
    ? [channel]
    : TemplateChannel.options.filter((c) => c !== 'webhook');
  for (const c of channels) if (await templateForChannel(db, workspaceId, id, c)) return null;
  const all = await db
    .selectFrom('message_templates')
    .select(['id', 'channel'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  const other = all.find((t) => t.id === id);
  if (other)
    return `template "${id}" is for ${other.channel}; this step sends ${channel} (add "${id}.${channel}" or pick a ${channel} template)`;
  const guess = didYouMean(
    id,
    all.filter((t) => channels.includes(t.channel)).map((t) => t.id),
  );
  return `no template "${id}" in this workspace${guess ? `; did you mean "${guess}"?` : ''} (create it with POST /v1/templates)`;
}
