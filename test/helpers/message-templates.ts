import type { TemplateContext } from '../../src/channels/templates/context.js';
import { TemplateEngine } from '../../src/channels/templates/engine.js';
import {
  MessageTemplate,
  type MessageTemplateInput,
} from '../../src/channels/templates/message-template.js';
import type { RecommendProvider } from '../../src/channels/templates/providers.js';
import { renderTemplate } from '../../src/channels/templates/render.js';

/** Helpers for the message-template tests in src/channels/templates. */

export const NOW = Date.UTC(2026, 2, 14, 9, 30);
export const engine = new TemplateEngine();

/** An e-mail template with a subject and a text body, and `over` on top. */
export function template(over: Partial<MessageTemplateInput> = {}): MessageTemplate {
  return MessageTemplate.parse({
    id: 'tpl_1',
    name: 'Test',
    channel: 'email',
    subject: 'Hi',
    text: 'Hello',
    ...over,
  });
}

/** A person who added a product to a cart, with `over` on top. */
export function ctx(over: Partial<TemplateContext> = {}): TemplateContext {
  return {
    profile: {
      id: 'prof_1',
      traits: { first_name: 'Ann', email: 'ann@example.com', plan: 'gold' },
      computed: { affinities: { category: 'shoes' }, order_count: 3 },
    },
    event: { event: 'Product Added', properties: { product_id: 'p1', cart_id: 'c1' } },
    links: { unsubscribe: 'https://r.test/u/tok' },
    ...over,
  };
}

/** Renders `template(over)` at NOW, personalized unless told otherwise. */
export async function render(
  over: Partial<MessageTemplateInput>,
  context: TemplateContext = ctx(),
  options: { personalized?: boolean; recommend?: RecommendProvider } = {},
) {
  return renderTemplate(template(over), context, {
    personalized: options.personalized ?? true,
    now: NOW,
    engine,
    ...(options.recommend ? { recommend: options.recommend } : {}),
  });
}

/** The rendered fields of `template(over)`; throws if rendering failed. */
export async function fields(over: Partial<MessageTemplateInput>, context?: TemplateContext) {
  const out = await render(over, context);
  if (out.kind !== 'ok') throw new Error(JSON.stringify(out.errors));
  return out.fields;
}
