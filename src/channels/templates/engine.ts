import type { FilterImplOptions, Template } from 'liquidjs';
import { Context, Liquid, LiquidError, toValueSync } from 'liquidjs';
import { OfferTag, RecommendTag, prefetchBlocks, refusedTag } from './block-tags.js';
import { templateError } from './errors.js';
import type { TemplateLimits } from './limits.js';
import { DEFAULT_TEMPLATE_LIMITS, limitMessage, limitOf } from './limits.js';
import type { TemplateError, TemplateField } from './message-template.js';
import { money } from './money.js';
import { AwaitingProvider } from './providers.js';
import type { RenderBudget } from './render-budget.js';
import type { RenderState } from './render-state.js';
import { RENDER_STATE } from './render-state.js';

/** How a field's output is escaped: HTML fields, JSON bodies, plain text (subject, push). */
export type Escaping = 'html' | 'json' | 'text';

export function escapingOf(field: TemplateField): Escaping {
  if (field === 'html') return 'html';
  if (field === 'webhookBody') return 'json';
  return 'text';
}

// Distinct blocks a field may await; each costs a render pass.
const MAX_ASYNC_BLOCKS = 32;

// Escapes output for the inside of a JSON string, so `{"name": "{{ name }}"}` stays valid
// JSON whatever the name holds.
function jsonStringContent(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    text = value.toString();
  } else if (typeof value === 'object' && value !== null) text = JSON.stringify(value);
  else text = '';
  return JSON.stringify(text).slice(1, -1);
}

function readState(context: Context | undefined): RenderState | undefined {
  return context?.getRegister<RenderState | undefined>(RENDER_STATE);
}

function createLiquid(escaping: Escaping, limits: TemplateLimits): Liquid {
  const liquid = new Liquid({
    outputEscape:
      escaping === 'html' ? 'escape' : escaping === 'json' ? jsonStringContent : undefined,
    strictFilters: true, // a misspelt filter is caught when the template is saved
    strictVariables: false, // a missing variable renders as nothing, never a crash
    ownPropertyOnly: true,
    catchAllErrors: true, // report every error of a field at once
    templates: {}, // no file system, ever
    timezoneOffset: 0, // dates render in UTC unless a template names a zone
    locale: 'en-US',
    parseLimit: limits.parseLength,
    // Per message, not per context: each render pass gets what its budget has left.
    renderLimit: limits.renderMs,
    memoryLimit: limits.memory,
  });
  liquid.registerTag('recommend', RecommendTag);
  liquid.registerTag('offer', OfferTag);
  for (const tag of ['include', 'render', 'layout', 'block'])
    liquid.registerTag(tag, refusedTag(tag));

  const filters = liquid.filters;
  const raw = (name: string): FilterImplOptions => {
    const impl = filters[name];
    if (impl === undefined) throw new Error(`LiquidJS has no ${name} filter`);
    return { handler: typeof impl === 'function' ? impl : impl.handler, raw: true };
  };
  if (escaping === 'html') {
    // Already escaped: mark them raw so output escaping does not escape them twice.
    liquid.registerFilter('escape', raw('escape'));
    liquid.registerFilter('escape_once', raw('escape_once'));
  }
  if (escaping === 'json') {
    // `{{ items | json }}` embeds a structure in a JSON body as it is.
    liquid.registerFilter('json', raw('json'));
  }
  liquid.registerFilter('money', money);
  // `"now" | date` shows the render's time, not the machine's: renders are repeatable.
  const date = filters.date;
  const dateHandler = typeof date === 'function' ? date : date?.handler;
  if (dateHandler) {
    liquid.registerFilter(
      'date',
      function (this: { context: Context }, value: unknown, ...args: unknown[]) {
        const now = readState(this.context)?.now;
        const v =
          (value === 'now' || value === 'today') && now !== undefined ? new Date(now) : value;
        return (dateHandler as (...a: unknown[]) => unknown).call(this, v, ...args);
      },
    );
  }
  return liquid;
}

/**
 * Three LiquidJS engines (HTML-escaping, JSON-escaping, plain) with Rapport's tags,
 * filters and limits. Build one per process and reuse it: templates compiled by it render
 * without being parsed again.
 */
export class TemplateEngine {
  readonly limits: TemplateLimits;
  private readonly engines: Record<Escaping, Liquid>;
  // Rendering stops at the first error, so a pass stopped by a block awaiting its
  // provider ends there; parsing still reports every error of a field.
  private readonly renderOptions: Record<Escaping, Liquid['options']>;

  constructor(limits: Partial<TemplateLimits> = {}) {
    this.limits = { ...DEFAULT_TEMPLATE_LIMITS, ...limits };
    this.engines = {
      html: createLiquid('html', this.limits),
      json: createLiquid('json', this.limits),
      text: createLiquid('text', this.limits),
    };
    this.renderOptions = {
      html: normalized(this.engines.html),
      json: normalized(this.engines.json),
      text: normalized(this.engines.text),
    };
  }

  /** Parses one field's source; errors carry the field name and line/column. */
  parse(
    field: string,
    escaping: Escaping,
    source: string,
  ): { kind: 'ok'; templates: Template[] } | { kind: 'invalid'; errors: TemplateError[] } {
    try {
      return { kind: 'ok', templates: this.engines[escaping].parse(source) };
    } catch (error) {
      return { kind: 'invalid', errors: expand(field, error) };
    }
  }

  /**
   * The context variables parsed templates read, each as its path (`['profile', 'traits',
   * 'plan']`); a key held in a variable (`traits[k]`) ends the path there.
   */
  variablePaths(escaping: Escaping, templates: Template[]): string[][] {
    const segments = this.engines[escaping].globalVariableSegmentsSync(templates);
    return segments.map((path) => {
      const out: string[] = [];
      for (const s of path) {
        if (typeof s !== 'string' && typeof s !== 'number') break;
        out.push(String(s));
      }
      return out;
    });
  }

  /** Starts the provider calls of a field's top-level blocks (see `prefetchBlocks`). */
  prefetch(
    escaping: Escaping,
    templates: Template[],
    scope: Record<string, unknown>,
    state: RenderState,
  ): void {
    const liquid = this.engines[escaping];
    const ctx = new Context({ ...scope }, this.renderOptions[escaping], { sync: true }, { liquid });
    ctx.setRegister(RENDER_STATE, state);
    prefetchBlocks(templates, ctx);
  }

  /**
   * Renders parsed templates with a scope and per-render state, within what the message's
   * budget has left (time, output bytes). Synchronously, pass after pass: a pass stopped
   * by a block awaiting its provider is run again once the answer is in (see
   * `AwaitingProvider`), so a field renders in 1 + (distinct async blocks) passes. A limit
   * comes back as one error carrying `limit`, at the node where it was hit.
   */
  async renderField(
    field: string,
    escaping: Escaping,
    templates: Template[],
    scope: Record<string, unknown>,
    state: RenderState,
    budget: RenderBudget,
  ): Promise<{ kind: 'ok'; output: string } | { kind: 'failed'; errors: TemplateError[] }> {
    const liquid = this.engines[escaping];
    const options = this.renderOptions[escaping];
    for (let pass = 0; pass <= MAX_ASYNC_BLOCKS; pass++) {
      const renderLimit = budget.msLeft();
      if (renderLimit <= 0) {
        return {
          kind: 'failed',
          errors: [{ field, message: limitMessage('time', this.limits), limit: 'time' }],
        };
      }
      // A fresh top-level scope per pass: `assign` and `increment` must not leak.
      const ctx = new Context({ ...scope }, options, { sync: true, renderLimit }, { liquid });
      ctx.setRegister(RENDER_STATE, state);
      const emitter = budget.emitter();
      try {
        toValueSync(liquid.renderer.renderTemplates(templates, ctx, emitter));
      } catch (error) {
        if (isAwaiting(error) && (await state.calls.settle())) continue;
        const limit = limitOf(error);
        if (limit === null) return { kind: 'failed', errors: expand(field, error) };
        const at = templateError(field, error);
        return {
          kind: 'failed',
          errors: [{ ...at, message: limitMessage(limit, this.limits), limit }],
        };
      }
      budget.spend(emitter);
      return { kind: 'ok', output: emitter.buffer };
    }
    return {
      kind: 'failed',
      errors: [{ field, message: `asks providers more than ${MAX_ASYNC_BLOCKS} times` }],
    };
  }
}

/** Whether a render stopped only because a block awaits its provider. */
function isAwaiting(error: unknown): boolean {
  if (error instanceof AwaitingProvider) return true;
  return LiquidError.is(error) && isAwaiting(error.originalError);
}

function normalized(liquid: Liquid): Liquid['options'] {
  return { ...liquid.options, catchAllErrors: false };
}

function expand(field: string, error: unknown): TemplateError[] {
  // LiquidJS gathers the errors of a field (catchAllErrors) into one LiquidErrors.
  if (error instanceof Error && error.name === 'LiquidErrors' && 'errors' in error) {
    return (error.errors as unknown[]).map((e) => templateError(field, e));
  }
  return [templateError(field, error)];
}
