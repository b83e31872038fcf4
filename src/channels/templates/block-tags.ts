import type { Context, Emitter, Liquid, Parser, TagToken, Template, TopLevelToken } from 'liquidjs';
import { Hash, Tag, toValueSync } from 'liquidjs';
import type { RenderState } from './render-state.js';
import { RENDER_STATE } from './render-state.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DEFAULT_LIMIT = 4;
// Arguments the engine sets itself; a template cannot pass them.
const RESERVED = new Set(['personalized', 'profileId', 'as']);

/**
 * The arguments of `{% recommend %}`: the parameters of GET /v1/recommendations under the
 * same names (`item_id` is kept as another name for `itemId`). A misspelt one is refused
 * when the template is saved rather than ignored at every send.
 */
export const RECOMMEND_ARGUMENTS: readonly string[] = [
  'strategy',
  'limit',
  'itemId',
  'item_id',
  'cart',
  'exclude',
  'category',
  'categories',
  'excludeCategories',
  'brands',
  'excludeBrands',
  'minPrice',
  'maxPrice',
  'excludePurchased',
  'excludeSeen',
  'includeOutOfStock',
  'boosts',
  'maxPerCategory',
  'mmrLambda',
  'fill',
];

function state(ctx: Context, tag: string): RenderState {
  const s = ctx.getRegister<RenderState | undefined>(RENDER_STATE);
  if (!s) throw new Error(`{% ${tag} %} renders only through renderTemplate`);
  return s;
}

function variableName(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new Error(`as: must name a variable such as "product" (got ${JSON.stringify(value)})`);
  }
  return value;
}

function requiredText(args: Record<string, unknown>, key: string, tag: string): string {
  const value = args[key];
  if (typeof value !== 'string' || value.trim() === '' || value.length > 100) {
    throw new Error(
      `${tag}: ${key} must be a non-empty name (got ${JSON.stringify(value) ?? 'nothing'})`,
    );
  }
  return value;
}

function passThrough(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) if (!RESERVED.has(k)) out[k] = v;
  return out;
}

/** The shared shape of `{% recommend %}` and `{% offer %}`: arguments, a body, an else. */
abstract class BlockTag extends Tag {
  protected readonly hash: Hash;
  protected readonly body: Template[] = [];
  protected readonly otherwise: Template[] = [];

  constructor(
    token: TagToken,
    remainTokens: TopLevelToken[],
    liquid: Liquid,
    parser: Parser,
    required: string,
  ) {
    super(token, remainTokens, liquid);
    this.hash = new Hash(this.tokenizer, liquid.options.keyValueSeparator);
    const rest = this.tokenizer.remaining().trim();
    let target = this.body;
    const stream = parser
      .parseStream(remainTokens)
      .on('tag:else', () => (target = this.otherwise))
      .on(`tag:end${this.name}`, () => stream.stop())
      .on('template', (tpl: Template) => target.push(tpl))
      .on('end', () => {
        throw new Error(`tag ${token.getText()} not closed`);
      });
    stream.start();
    // Checked after the body is read, so one bad tag is one error and its end tag is
    // not reported again as unknown.
    if (rest !== '') {
      throw new Error(`${this.name}: unexpected ${rest}; write arguments as name: value, …`);
    }
    if (!Object.hasOwn(this.hash.hash, required)) {
      throw new Error(`${this.name} needs ${required}: "…"`);
    }
    const known = this.knownArguments();
    if (known) {
      const unknown = Object.keys(this.hash.hash).filter(
        (k) => !RESERVED.has(k) && !known.includes(k),
      );
      if (unknown.length > 0) {
        throw new Error(
          `${this.name}: unknown argument${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; ` +
            `known: ${known.join(', ')}`,
        );
      }
    }
  }

  /** The argument names the tag accepts besides the reserved ones; null for any. */
  protected knownArguments(): readonly string[] | null {
    return null;
  }

  /** Asks the provider for what the block shows; throws `AwaitingProvider` while it thinks. */
  protected abstract ask(
    args: Record<string, unknown>,
    s: RenderState,
    show?: boolean,
  ): readonly unknown[];

  /** Starts the provider call with arguments read from `ctx`, without waiting or showing. */
  prefetch(ctx: Context, s: RenderState): void {
    this.ask(toValueSync(this.hash.render(ctx)) as Record<string, unknown>, s, false);
  }

  /** Renders the body once per value with `variable` (and `forloop`) set, or the else. */
  protected *loop(
    ctx: Context,
    emitter: Emitter,
    variable: string,
    values: readonly unknown[],
  ): Generator<unknown, void, unknown> {
    const renderer = this.liquid.renderer;
    if (values.length === 0) {
      yield renderer.renderTemplates(this.otherwise, ctx, emitter);
      return;
    }
    const scope: Record<string, unknown> = {};
    ctx.push(scope);
    try {
      for (let i = 0; i < values.length; i++) {
        scope[variable] = values[i];
        scope.forloop = {
          index: i + 1,
          index0: i,
          rindex: values.length - i,
          rindex0: values.length - i - 1,
          first: i === 0,
          last: i === values.length - 1,
          length: values.length,
        };
        yield renderer.renderTemplates(this.body, ctx, emitter);
      }
    } finally {
      ctx.pop();
    }
  }
}

/**
 * `{% recommend strategy: "bought_together", limit: 4, item_id: event.properties.product_id %}`
 * … `{{ item.title }}` … `{% else %}` … `{% endrecommend %}`: asks the injected
 * recommendation provider and renders the body once per item (`as: "product"` renames
 * `item`; `forloop` works as in `for`). Every argument but `as` reaches the provider.
 */
export class RecommendTag extends BlockTag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remain, liquid, parser, 'strategy');
  }

  protected override knownArguments(): readonly string[] {
    return RECOMMEND_ARGUMENTS;
  }

  protected ask(args: Record<string, unknown>, s: RenderState, show = true): readonly unknown[] {
    const strategy = requiredText(args, 'strategy', 'recommend');
    const limit = args.limit ?? DEFAULT_LIMIT;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > s.maxItems) {
      throw new Error(
        `recommend: limit must be a whole number from 1 to ${s.maxItems} (got ${JSON.stringify(limit)})`,
      );
    }
    const request = {
      ...passThrough(args),
      strategy,
      limit,
      personalized: s.personalized,
      ...(s.personalized ? { profileId: s.profileId } : {}),
    };
    return s.calls.recommend(request, show);
  }

  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const s = state(ctx, 'recommend');
    const args = (yield this.hash.render(ctx)) as Record<string, unknown>;
    const variable = variableName(args.as, 'item');
    yield* this.loop(ctx, emitter, variable, this.ask(args, s));
  }
}

/**
 * `{% offer placement: "email_block" %}` … `{{ offer.title }}` … `{% else %}` …
 * `{% endoffer %}`: asks the injected decision provider for the placement's offer and
 * renders the body with it, or the else when there is none.
 */
export class OfferTag extends BlockTag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remain, liquid, parser, 'placement');
  }

  protected ask(args: Record<string, unknown>, s: RenderState, show = true): readonly unknown[] {
    const placement = requiredText(args, 'placement', 'offer');
    const request = {
      ...passThrough(args),
      placement,
      personalized: s.personalized,
      ...(s.personalized ? { profileId: s.profileId } : {}),
    };
    const offer = s.calls.offer(request, show);
    return offer === null || offer === undefined ? [] : [offer];
  }

  *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const s = state(ctx, 'offer');
    const args = (yield this.hash.render(ctx)) as Record<string, unknown>;
    const variable = variableName(args.as, 'offer');
    yield* this.loop(ctx, emitter, variable, this.ask(args, s));
  }
}

/**
 * Starts the provider calls of the blocks at the top level of a field (outside any other
 * tag, so certain to render) before rendering, so they run together and the render needs
 * no second pass. Arguments are read from the root scope; a block whose arguments an
 * `assign` changes on the way is asked again when rendered, and only what a render
 * shows is recorded. Errors are left for the render to report where they happen.
 */
export function prefetchBlocks(templates: readonly Template[], ctx: Context): void {
  const s = ctx.getRegister<RenderState | undefined>(RENDER_STATE);
  if (!s) return;
  for (const tpl of templates) {
    if (!(tpl instanceof BlockTag)) continue;
    try {
      tpl.prefetch(ctx, s);
    } catch {
      // Reported by the render, at the block's position.
    }
  }
}

/** Partials would read files or other templates: message templates stand alone. */
export function refusedTag(name: string): Parameters<Liquid['registerTag']>[1] {
  return class extends Tag {
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid);
      throw new Error(`{% ${name} %} is not supported in message templates`);
    }
    render(): void {
      // Never reached: the constructor refuses the tag when the template is parsed.
    }
  };
}
