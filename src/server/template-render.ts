import type { Kysely } from 'kysely';
import {
  compileTemplate,
  variableWarnings,
  type MessageTemplate,
  type RenderResult,
  type TemplateError,
} from '../channels/index.js';
import {
  cartLink,
  completeItems,
  loadRecipient,
  readSettings,
  workspaceScope,
} from '../messaging/index.js';
import { mayPersonalize, withoutSensitiveTraits } from '../privacy/index.js';
import { findProfileId, type ProfileKind } from '../profiles/index.js';
import { NotFoundError, RenderLimitError, ValidationError } from '../shared/index.js';
import type { Database } from '../store/index.js';
import type { AppContext } from './context.js';

/** A template rendered for the dashboard or an API client: nothing is sent or recorded. */
export interface Rendered {
  personalized: boolean;
  fields: Record<string, string>;
  blocks: unknown[];
  /** Variables the template reads that the data does not have, with the closest path. */
  warnings: { variable: string; didYouMean?: string }[];
}

/** What a preview may add to the person's data. */
export interface RenderExtras {
  event?: Record<string, unknown> | undefined;
  items?: unknown[] | undefined;
  /** The run's key, e.g. the cart id of a cart reminder (fills `links.cart`). */
  key?: string | undefined;
}

const problem = (e: TemplateError) => ({
  path: e.field,
  problem: e.line !== undefined ? `line ${e.line}, column ${e.col ?? 0}: ${e.message}` : e.message,
});

/** A render that failed: a limit is a 422 naming it, any other error a 400. */
function renderError(errors: TemplateError[], whom: string): Error {
  // A limit's message names it and its value: "exceeded the render time limit of 1000 ms".
  const limited = errors.find((e) => e.limit !== undefined);
  if (limited) {
    return new RenderLimitError(`The template ${limited.message} ${whom}.`, errors.map(problem));
  }
  return new ValidationError(`The template does not render ${whom}.`, errors.map(problem));
}

/** The profile id of the person `kind`/`value` names, or a 404 naming them. */
export async function personId(
  db: Kysely<Database>,
  workspaceId: string,
  kind: ProfileKind,
  value: string,
): Promise<string> {
  const id = await findProfileId(db, workspaceId, kind, value);
  if (!id) throw new NotFoundError(`No profile with ${kind} "${value}".`);
  return id;
}

/**
 * Renders `template` as the send path would for the person `profileId` (their traits
 * less the sensitive ones, computed traits, consent to personalization), or with no
 * person's data at all when `profileId` is null: defaults fill the variables. Links
 * point at placeholders: a preview unsubscribes nobody.
 */
export async function renderForPerson(
  ctx: AppContext,
  workspaceId: string,
  template: MessageTemplate,
  profileId: string | null,
  extras: RenderExtras = {},
): Promise<Rendered> {
  const db = ctx.store.db;
  const now = ctx.clock.now();
  const settings = await readSettings(db, workspaceId);
  let person: { id: string; traits: Record<string, unknown>; computed: Record<string, unknown> } = {
    id: 'preview',
    traits: {},
    computed: {},
  };
  let personalized = true;
  if (profileId !== null) {
    const r = await loadRecipient(db, ctx.models, workspaceId, profileId, now);
    if (!r) throw new NotFoundError(`No profile "${profileId}".`);
    personalized = mayPersonalize(r.consents, settings.consent);
    person = {
      id: r.profileId,
      traits: withoutSensitiveTraits(settings.sensitive, 'templates', r.traits),
      computed: r.computed,
    };
  }
  const cart = cartLink(settings, extras.key);
  const items = await completeItems(
    db,
    workspaceId,
    (extras.items ?? []).filter(
      (i): i is Record<string, unknown> => typeof i === 'object' && i !== null && !Array.isArray(i),
    ),
    settings,
  );
  const context = {
    profile: person,
    ...(extras.event ? { event: extras.event } : {}),
    links: {
      unsubscribe: `${ctx.publicUrl}/unsubscribe/preview`,
      preferences: `${ctx.publicUrl}/preferences/preview`,
      ...(cart ? { cart } : {}),
    },
    message: { id: 'preview', key: extras.key ?? null, items },
    workspace: workspaceScope(settings),
  };
  const result: RenderResult = await ctx.renderer.render(template, context, {
    personalized,
    now,
    ...(ctx.recommendFor && profileId !== null
      ? { recommend: ctx.recommendFor(workspaceId, profileId) }
      : {}),
  });
  if (result.kind !== 'ok') {
    throw renderError(result.errors, profileId === null ? 'without a person' : 'for this person');
  }
  // Stored templates parsed when saved; parsing again here costs what that did.
  const compiled = compileTemplate(template);
  const warnings =
    compiled.kind === 'ok' ? variableWarnings(compiled.compiled, context, personalized) : [];
  return { personalized, fields: result.fields, blocks: result.blocks, warnings };
}
