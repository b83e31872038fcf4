import type { Kysely } from 'kysely';
import { compileTemplate, templateTraitUses, type MessageTemplate } from '../channels/index.js';
import { assertSensitiveUse, type AttributeUse } from '../privacy/index.js';
import type { Database } from '../store/index.js';
import { readSensitiveSettings } from '../workspaces/index.js';

/** The traits a (valid) template reads by name, each with the field reading it. */
export function templateAttributeUses(template: MessageTemplate): AttributeUse[] {
  const compiled = compileTemplate(template);
  return compiled.kind === 'ok' ? templateTraitUses(compiled.compiled) : [];
}

/**
 * Refuses (400, naming the field and the trait) a template that reads a sensitive trait
 * the workspace has not allowed for templates. Called where templates are saved and
 * previewed, in the caller's transaction.
 */
export async function assertTemplateSensitive(
  db: Kysely<Database>,
  workspaceId: string,
  template: MessageTemplate,
): Promise<void> {
  const settings = await readSensitiveSettings(db, workspaceId);
  assertSensitiveUse(settings, 'templates', templateAttributeUses(template));
}
