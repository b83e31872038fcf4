import type { Template } from 'liquidjs';
import { TemplateEngine, escapingOf } from './engine.js';
import type { TemplateError, TemplateField } from './message-template.js';
import { MessageTemplate, TEMPLATE_FIELDS } from './message-template.js';

/** A template whose fields are parsed, ready to render any number of times. */
export class CompiledTemplate {
  constructor(
    readonly template: MessageTemplate,
    readonly engine: TemplateEngine,
    /** Parsed fields, and parsed non-personalized variants. */
    readonly fields: ReadonlyMap<TemplateField, Template[]>,
    readonly variants: ReadonlyMap<TemplateField, Template[]>,
  ) {}
}

export type CompileResult =
  | { kind: 'ok'; compiled: CompiledTemplate; errors: [] }
  | { kind: 'invalid'; errors: TemplateError[] };

/**
 * Parses every field and non-personalized variant of a template. A template that does not
 * parse is rejected when saved, with every error's field, line and column.
 *
 * @example
 * compileTemplate({ ...t, subject: 'Hi {{ profile.traits.first_name | upcase' })
 * // { kind: 'invalid', errors: [{ field: 'subject', line: 1, col: 4,
 * //   message: 'output "{{ profile.traits.first_name ..." not closed' }] }
 */
export function compileTemplate(
  template: MessageTemplate,
  engine: TemplateEngine = new TemplateEngine(),
): CompileResult {
  const errors: TemplateError[] = [];
  const parseAll = (
    fields: Partial<Record<TemplateField, string | undefined>>,
    prefix: string,
  ): Map<TemplateField, Template[]> => {
    const out = new Map<TemplateField, Template[]>();
    for (const field of TEMPLATE_FIELDS) {
      const source = fields[field];
      if (source === undefined) continue;
      const parsed = engine.parse(`${prefix}${field}`, escapingOf(field), source);
      if (parsed.kind === 'ok') out.set(field, parsed.templates);
      else errors.push(...parsed.errors);
    }
    return out;
  };
  const fields = parseAll(template, '');
  const variants = parseAll(template.nonPersonalized ?? {}, 'nonPersonalized.');
  if (errors.length > 0) return { kind: 'invalid', errors };
  return {
    kind: 'ok',
    compiled: new CompiledTemplate(template, engine, fields, variants),
    errors: [],
  };
}

/**
 * Validates a template as received (schema and Liquid syntax) in one step: what a save
 * route calls. Schema errors name the field and have no position.
 */
export function validateTemplate(
  input: unknown,
  engine: TemplateEngine = new TemplateEngine(),
):
  | { kind: 'ok'; template: MessageTemplate; compiled: CompiledTemplate }
  | { kind: 'invalid'; errors: TemplateError[] } {
  const parsed = MessageTemplate.safeParse(input);
  if (!parsed.success) {
    return {
      kind: 'invalid',
      errors: parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    };
  }
  const compiled = compileTemplate(parsed.data, engine);
  if (compiled.kind !== 'ok') return compiled;
  return { kind: 'ok', template: parsed.data, compiled: compiled.compiled };
}
