import type { Template } from 'liquidjs';
import { CompiledTemplate, compileTemplate } from './compile.js';
import type { TemplateContext } from './context.js';
import { applyDefaults, templateScope } from './context.js';
import type { TemplateEngine } from './engine.js';
import { escapingOf } from './engine.js';
import type { MessageTemplate, TemplateError, TemplateField } from './message-template.js';
import { TEMPLATE_FIELDS } from './message-template.js';
import type { BlockCall, OfferProvider, RecommendProvider } from './providers.js';
import { BlockCalls } from './providers.js';
import { RenderBudget } from './render-budget.js';

export interface RenderOptions {
  /** False when the person opted out of personalization (see `mayPersonalize`). */
  personalized: boolean;
  /** The render time, epoch ms: what `"now" | date` shows. */
  now: number;
  /** Answers `{% recommend %}` blocks; without it they render their `{% else %}`. */
  recommend?: RecommendProvider;
  /** Answers `{% offer %}` blocks; without it they render their `{% else %}`. */
  offer?: OfferProvider;
  /** The engine to compile with when given an uncompiled template. */
  engine?: TemplateEngine;
  /** Told the name of each field as its render starts (a pool reports where it stopped). */
  onField?: (name: string) => void;
}

export type RenderedFields = Partial<Record<TemplateField, string>>;

export type RenderResult =
  | {
      kind: 'ok';
      fields: RenderedFields;
      personalized: boolean;
      /** The recommendation and offer calls made, with what they returned: what was shown. */
      blocks: BlockCall[];
    }
  | { kind: 'failed'; errors: TemplateError[] };

/**
 * Renders every field of a template for one person. Missing variables render as empty
 * (or the template's declared default); `html` escapes every output, `webhookBody`
 * escapes for JSON strings and must render to valid JSON. A person who may not be
 * personalized gets each field's non-personalized variant when there is one, a context
 * without behavioural data (see `templateScope`), and recommendation calls with
 * `personalized: false`. Errors (a throwing provider, a bad block argument, a limit)
 * come back as values naming the field, never as exceptions. The engine's limits hold
 * for the whole message (time from the call on, provider calls included; output bytes
 * across fields); the first limit hit ends the render, with an error carrying `limit`.
 * Limits are checked between LiquidJS nodes: to bound a render that never yields, run it
 * in a `RenderPool`.
 *
 * @example
 * const engine = new TemplateEngine();
 * const compiled = compileTemplate(template, engine);
 * if (compiled.kind === 'ok') {
 *   const out = await renderTemplate(compiled.compiled, { profile }, {
 *     personalized: mayPersonalize(consents), now: clock.now(), recommend: (r) => recs.get(r),
 *   });
 *   if (out.kind === 'ok') send(out.fields.subject, out.fields.html, out.fields.text);
 * }
 */
export async function renderTemplate(
  template: MessageTemplate | CompiledTemplate,
  context: TemplateContext,
  options: RenderOptions,
): Promise<RenderResult> {
  const start = performance.now();
  let compiled: CompiledTemplate;
  if (template instanceof CompiledTemplate) {
    compiled = template;
  } else {
    const result = compileTemplate(template, options.engine);
    // A template that does not compile cannot render: the same errors, as a failed render.
    if (result.kind !== 'ok') return { kind: 'failed', errors: result.errors };
    compiled = result.compiled;
  }
  const { engine } = compiled;
  const budget = new RenderBudget(engine.limits, start);
  const personalized = options.personalized;
  const scope = applyDefaults(templateScope(context, personalized), compiled.template.defaults);
  const calls = new BlockCalls(options.recommend, options.offer);
  const state = {
    calls,
    personalized,
    profileId: context.profile.id,
    now: options.now,
    maxItems: engine.limits.recommendItems,
  };

  // Which source each field renders from: its variant for a non-personalized render.
  const sources: { field: TemplateField; name: string; templates: Template[] }[] = [];
  for (const field of TEMPLATE_FIELDS) {
    const variant = personalized ? undefined : compiled.variants.get(field);
    const templates = variant ?? compiled.fields.get(field);
    if (templates !== undefined) {
      sources.push({ field, name: variant ? `nonPersonalized.${field}` : field, templates });
    }
  }
  // Ask every provider at once, then render each field in one synchronous pass.
  for (const s of sources) engine.prefetch(escapingOf(s.field), s.templates, scope, state);
  await calls.settle();

  const fields: RenderedFields = {};
  const errors: TemplateError[] = [];
  for (const { field, name, templates } of sources) {
    options.onField?.(name);
    const rendered = await engine.renderField(
      name,
      escapingOf(field),
      templates,
      scope,
      state,
      budget,
    );
    if (rendered.kind !== 'ok') {
      errors.push(...rendered.errors);
      // A spent budget fails every later field the same way: one error says it.
      if (rendered.errors.some((e) => e.limit !== undefined)) break;
      continue;
    }
    if (field === 'webhookBody') {
      try {
        JSON.parse(rendered.output);
      } catch (error) {
        errors.push({
          field: name,
          message: `does not render to valid JSON (${error instanceof Error ? error.message : String(error)})`,
        });
        continue;
      }
    }
    fields[field] = rendered.output;
  }
  if (errors.length > 0) return { kind: 'failed', errors };
  return { kind: 'ok', fields, personalized, blocks: calls.calls };
}
