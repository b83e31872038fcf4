import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { decodeEntities } from '../html/index.js';
import { compileTemplate, validateTemplate } from './compile.js';
import type { TemplateContext } from './context.js';
import { TemplateEngine } from './engine.js';
import type { MessageTemplateInput } from './message-template.js';
import { MessageTemplate } from './message-template.js';
import type { RecommendProvider, RecommendRequest } from './providers.js';
import { renderTemplate } from './render.js';

const NOW = Date.UTC(2026, 2, 14, 9, 30);
const engine = new TemplateEngine();

function template(over: Partial<MessageTemplateInput> = {}): MessageTemplate {
  return MessageTemplate.parse({
    id: 'tpl_1',
    name: 'Test',
    channel: 'email',
    subject: 'Hi',
    text: 'Hello',
    ...over,
  });
}

function ctx(over: Partial<TemplateContext> = {}): TemplateContext {
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

async function render(
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

async function fields(over: Partial<MessageTemplateInput>, context?: TemplateContext) {
  const out = await render(over, context);
  if (out.kind !== 'ok') throw new Error(JSON.stringify(out.errors));
  return out.fields;
}

describe('MessageTemplate', () => {
  it.each([
    [{ subject: undefined }, 'subject', 'an e-mail needs a subject'],
    [{ text: undefined }, 'html', 'an e-mail needs html or text'],
    [
      { pushTitle: 'x' },
      'pushTitle',
      'email templates do not use pushTitle (they use subject, preheader, html, text)',
    ],
    [
      { nonPersonalized: { webhookBody: '{}' } },
      'nonPersonalized.webhookBody',
      'email templates do not use webhookBody (they use subject, preheader, html, text)',
    ],
    [
      { defaults: { 'profile.__proto__.x': 1 } },
      'defaults.profile.__proto__.x',
      'must not use __proto__, prototype or constructor',
    ],
    [
      { defaults: { 'profile traits': 1 } },
      'defaults.profile traits',
      'must be a dotted path of identifiers such as profile.traits.first_name',
    ],
    [
      { topic: 'Big Offers' },
      'topic',
      'must be 1-64 lower-case letters, digits, _ or -, starting with a letter or digit',
    ],
  ])('rejects %j naming the field', (over, field, message) => {
    const result = validateTemplate({
      id: 't',
      name: 'T',
      channel: 'email',
      subject: 'Hi',
      text: 'x',
      ...over,
    });
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'ok') expect(result.errors).toContainEqual({ field, message });
  });

  it('needs a title and body for push, and nothing else for webhook', () => {
    const push = validateTemplate({ id: 't', name: 'T', channel: 'push', pushTitle: 'x' });
    expect(push.kind === 'ok' ? [] : push.errors).toEqual([
      { field: 'pushBody', message: 'a push needs pushBody' },
    ]);
    expect(validateTemplate({ id: 't', name: 'T', channel: 'webhook' }).kind).toBe('ok');
  });
});

describe('compileTemplate', () => {
  it('rejects a template that does not parse, with field, line and column', () => {
    const result = compileTemplate(
      template({
        html: '<p>Hi</p>\n<p>{{ profile.traits.first_name | upcase }}</p>\n  {% if profile.traits.vip %}VIP',
        subject: 'Hi {{ profile.traits.first_name | shout }}',
      }),
      engine,
    );
    expect(result).toEqual({
      kind: 'invalid',
      errors: [
        { field: 'subject', line: 1, col: 4, message: 'undefined filter: shout' },
        { field: 'html', line: 3, col: 3, message: 'tag {% if profile.traits.vip %} not closed' },
      ],
    });
  });

  it('reports every error of a field and names variants', () => {
    const result = compileTemplate(
      template({
        text: '{{ a | nope }}\n{{ b | nada }}',
        nonPersonalized: { subject: '{% recommend limit: 2 %}{% endrecommend %}' },
      }),
      engine,
    );
    expect(result.kind === 'ok' ? [] : result.errors).toEqual([
      { field: 'text', line: 1, col: 1, message: 'undefined filter: nope' },
      { field: 'text', line: 2, col: 1, message: 'undefined filter: nada' },
      {
        field: 'nonPersonalized.subject',
        line: 1,
        col: 1,
        message: 'recommend needs strategy: "…"',
      },
    ]);
  });

  it.each([
    ['{% recommend strategy: "popular" %}x', 'tag {% recommend strategy: "popular" %} not closed'],
    [
      '{% recommend strategy "popular" %}{% endrecommend %}',
      'recommend: unexpected "popular"; write arguments as name: value, …',
    ],
    ['{% offer %}{% endoffer %}', 'offer needs placement: "…"'],
    ['{% include "/etc/passwd" %}', '{% include %} is not supported in message templates'],
    ['{% render "x" %}', '{% render %} is not supported in message templates'],
    ['{% layout "x" %}', '{% layout %} is not supported in message templates'],
    ['{% nope %}', 'tag "nope" not found'],
  ])('rejects %j', (text, message) => {
    const result = compileTemplate(template({ text }), engine);
    expect(result.kind === 'ok' ? [] : result.errors).toEqual([
      { field: 'text', line: 1, col: 1, message },
    ]);
  });

  it('refuses a field past the parse limit', () => {
    const small = new TemplateEngine({ parseLength: 10 });
    const result = compileTemplate(template({ text: 'x'.repeat(11) }), small);
    expect(result.kind === 'ok' ? [] : result.errors).toEqual([
      { field: 'text', message: 'parse length limit exceeded' },
    ]);
  });
});

describe('renderTemplate: variables', () => {
  it('renders missing variables as empty and uses default filters and declared defaults', async () => {
    const out = await fields(
      {
        subject: 'Hi {{ profile.traits.first_name | default: "there" }}{{ profile.traits.nope }}!',
        text: 'Hello {{ profile.traits.nickname }}, {{ profile.traits.city }} / {{ event.properties.missing.deep }}',
        defaults: { 'profile.traits.nickname': 'friend', 'profile.traits.first_name': 'there' },
      },
      ctx({ profile: { id: 'p', traits: { nickname: '' } } }),
    );
    expect(out).toEqual({ subject: 'Hi there!', text: 'Hello friend,  / ' });
  });

  it('does not change the caller context when applying defaults', async () => {
    const context = ctx({ profile: { id: 'p', traits: {} } });
    await fields(
      {
        text: '{{ profile.traits.first_name }}',
        defaults: { 'profile.traits.first_name': 'there' },
      },
      context,
    );
    expect(context.profile.traits).toEqual({});
  });

  it('escapes variables in HTML, not in text fields', async () => {
    const context = ctx({
      profile: { id: 'p', traits: { first_name: `<script>alert("x")</script> & 'co'` } },
    });
    const out = await fields(
      {
        subject: 'Hi {{ profile.traits.first_name }}',
        html: '<p>Hi {{ profile.traits.first_name }}</p><p>{{ profile.traits.first_name | escape }}</p><p>{{ "<b>ok</b>" | raw }}</p>',
      },
      context,
    );
    expect(out.subject).toBe(`Hi <script>alert("x")</script> & 'co'`);
    const escaped = '&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;co&#39;';
    expect(out.html).toBe(`<p>Hi ${escaped}</p><p>${escaped}</p><p><b>ok</b></p>`);
  });

  it('never lets a trait inject markup into HTML (property)', async () => {
    const compiled = compileTemplate(
      template({ html: '<p title="{{ profile.traits.x }}">{{ profile.traits.x }}</p>' }),
      engine,
    );
    if (compiled.kind !== 'ok') throw new Error('compile');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (x) => {
        const out = await renderTemplate(
          compiled.compiled,
          ctx({ profile: { id: 'p', traits: { x } } }),
          {
            personalized: true,
            now: NOW,
          },
        );
        if (out.kind !== 'ok') throw new Error('render');
        const inner = out.fields.html!.slice('<p title="'.length, -'</p>'.length);
        const [attr, body] = inner.split('">');
        expect(inner.split('">')).toHaveLength(2);
        expect(body).not.toMatch(/[<>"]/);
        expect(decodeEntities(attr!)).toBe(x);
        expect(decodeEntities(body!)).toBe(x);
      }),
      { numRuns: 200 },
    );
  });

  it('escapes webhook bodies for JSON and embeds | json as is', async () => {
    const out = await render(
      {
        channel: 'webhook',
        subject: undefined,
        text: undefined,
        webhookBody:
          '{"name": "{{ profile.traits.first_name }}", "traits": {{ profile.traits | json }}, "n": {{ profile.computed.order_count }}}',
      },
      ctx({
        profile: {
          id: 'p',
          traits: { first_name: 'A "quoted"\nname\\' },
          computed: { order_count: 3 },
        },
      }),
    );
    expect(out.kind).toBe('ok');
    if (out.kind === 'ok') {
      expect(JSON.parse(out.fields.webhookBody!)).toEqual({
        name: 'A "quoted"\nname\\',
        traits: { first_name: 'A "quoted"\nname\\' },
        n: 3,
      });
    }
  });

  it('keeps any string intact inside a JSON body (property)', async () => {
    const compiled = compileTemplate(
      template({
        channel: 'webhook',
        subject: undefined,
        text: undefined,
        webhookBody: '{"v": "{{ profile.traits.x }}"}',
      }),
      engine,
    );
    if (compiled.kind !== 'ok') throw new Error('compile');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (x) => {
        const out = await renderTemplate(
          compiled.compiled,
          ctx({ profile: { id: 'p', traits: { x } } }),
          { personalized: true, now: NOW },
        );
        expect(out.kind === 'ok' && JSON.parse(out.fields.webhookBody!)).toEqual({ v: x });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a webhook body that is not JSON once rendered', async () => {
    const out = await render({
      channel: 'webhook',
      subject: undefined,
      text: undefined,
      webhookBody: '{"a": {{ profile.traits.nope }}}',
    });
    expect(out).toEqual({
      kind: 'failed',
      errors: [
        { field: 'webhookBody', message: expect.stringMatching(/^does not render to valid JSON/) },
      ],
    });
  });

  it('shows the render time for "now"', async () => {
    expect(
      (
        await fields({
          text: '{{ "now" | date: "%Y-%m-%d %H:%M" }} {{ "now" | date: "%H:%M", "Europe/Paris" }}',
        })
      ).text,
    ).toBe('2026-03-14 09:30 10:30');
  });

  it('turns a throwing filter into an error naming the field and position', async () => {
    const out = await render(
      {
        subject: 'fine',
        html: '<p>\n  {{ profile.traits.code | url_decode }}</p>',
      },
      ctx({ profile: { id: 'p', traits: { code: '%E0%A4%A' } } }),
    );
    expect(out).toEqual({
      kind: 'failed',
      errors: [{ field: 'html', line: 2, col: 3, message: 'URI malformed' }],
    });
  });
});

const items = [
  { id: 'p2', title: 'Laces & Co', url: 'https://shop.test/p2' },
  { id: 'p3', title: 'Socks', url: 'https://shop.test/p3' },
  { id: 'p4', title: 'Polish', url: 'https://shop.test/p4' },
];

describe('renderTemplate: recommend and offer blocks', () => {
  it('calls the provider with the block arguments and loops the items', async () => {
    const provider = vi.fn<RecommendProvider>(async (r) => items.slice(0, r.limit));
    const out = await render(
      {
        html: '<ul>{% recommend strategy: "bought_together", limit: 2, item_id: event.properties.product_id %}<li>{{ forloop.index }}. {{ item.title }}</li>{% else %}none{% endrecommend %}</ul>',
        text: '{% recommend strategy: "bought_together", limit: 2, item_id: event.properties.product_id %}- {{ item.title }}\n{% endrecommend %}',
      },
      ctx(),
      { recommend: provider },
    );
    expect(provider).toHaveBeenCalledTimes(1);
    expect(provider).toHaveBeenCalledWith({
      strategy: 'bought_together',
      limit: 2,
      item_id: 'p1',
      personalized: true,
      profileId: 'prof_1',
    });
    expect(out).toEqual({
      kind: 'ok',
      personalized: true,
      fields: {
        subject: 'Hi',
        html: '<ul><li>1. Laces &amp; Co</li><li>2. Socks</li></ul>',
        text: '- Laces & Co\n- Socks\n',
      },
      blocks: [
        {
          kind: 'recommend',
          request: {
            strategy: 'bought_together',
            limit: 2,
            item_id: 'p1',
            personalized: true,
            profileId: 'prof_1',
          },
          items: items.slice(0, 2),
        },
      ],
    });
  });

  it('keeps at most limit items, renames the variable and renders else when empty', async () => {
    const out = await fields({
      text: '{% recommend strategy: "popular", limit: 1, as: "product" %}[{{ product.id }}{% if forloop.last %}.{% endif %}]{% endrecommend %}|{% recommend strategy: "none" %}x{% else %}empty{% endrecommend %}',
    });
    // No provider at all: every block is empty.
    expect(out.text).toBe('|empty');
    const withProvider = await render(
      {
        text: '{% recommend strategy: "popular", limit: 1, as: "product" %}[{{ product.id }}{% if forloop.last %}.{% endif %}]{% endrecommend %}|{% recommend strategy: "none" %}x{% else %}empty{% endrecommend %}',
      },
      ctx(),
      { recommend: async (r) => (r.strategy === 'none' ? [] : items) },
    );
    expect(withProvider.kind === 'ok' && withProvider.fields.text).toBe('[p2.]|empty');
  });

  it.each([
    [
      '{% recommend strategy: "x", limit: 0 %}{% endrecommend %}',
      'recommend: limit must be a whole number from 1 to 50 (got 0)',
    ],
    [
      '{% recommend strategy: "x", limit: "4" %}{% endrecommend %}',
      'recommend: limit must be a whole number from 1 to 50 (got "4")',
    ],
    [
      '{% recommend strategy: "x", limit: 51 %}{% endrecommend %}',
      'recommend: limit must be a whole number from 1 to 50 (got 51)',
    ],
    [
      '{% recommend strategy: profile.traits.nope %}{% endrecommend %}',
      'recommend: strategy must be a non-empty name (got nothing)',
    ],
    [
      '{% recommend strategy: "x", as: "a b" %}{% endrecommend %}',
      'as: must name a variable such as "product" (got "a b")',
    ],
  ])('reports a bad argument of %j with its position', async (text, message) => {
    const out = await render({ text: `line\n  ${text}` }, ctx(), { recommend: async () => items });
    expect(out).toEqual({ kind: 'failed', errors: [{ field: 'text', line: 2, col: 3, message }] });
  });

  it('turns a failing provider into an error naming the field', async () => {
    const out = await render(
      { html: '<p>{% recommend strategy: "x" %}{{ item.id }}{% endrecommend %}</p>' },
      ctx(),
      {
        recommend: async () => {
          throw new Error('recommender unavailable');
        },
      },
    );
    expect(out).toEqual({
      kind: 'failed',
      errors: [{ field: 'html', line: 1, col: 4, message: 'recommender unavailable' }],
    });
  });

  it('takes answers from a synchronous provider and from promises alike, asking once per distinct call', async () => {
    const asked: string[] = [];
    const text =
      '{% recommend strategy: "popular", limit: 2 %}[{{ item.id }}:{% offer placement: "badge", item_id: item.id %}{{ offer.label }}{% else %}-{% endoffer %}]{% endrecommend %}' +
      '{% recommend strategy: "popular", limit: 2 %}{{ item.id }}{% endrecommend %}';
    const offer = async (r: { placement: string; item_id?: unknown }) => {
      asked.push(`offer:${String(r.item_id)}`);
      return r.item_id === 'p2' ? null : { label: `sale ${String(r.item_id)}` };
    };
    const sync = await renderTemplate(template({ text }), ctx(), {
      personalized: true,
      now: NOW,
      engine,
      recommend: (r) => {
        asked.push(`recommend:${r.strategy}`);
        return items;
      },
      offer,
    });
    expect(sync.kind === 'ok' && sync.fields.text).toBe('[p2:-][p3:sale p3]p2p3');
    expect(asked).toEqual(['recommend:popular', 'offer:p2', 'offer:p3']);
    expect(sync.kind === 'ok' && sync.blocks.map((b) => b.kind)).toEqual([
      'recommend',
      'offer',
      'offer',
    ]);
  });

  it('asks for every top-level block at once before rendering', async () => {
    const started: string[] = [];
    const waiting: (() => void)[] = [];
    const slow = (r: RecommendRequest) =>
      new Promise<typeof items>((resolve) => {
        started.push(r.strategy);
        waiting.push(() => resolve(items.slice(0, 1)));
      });
    const pending = renderTemplate(
      template({
        html: '{% recommend strategy: "a" %}{{ item.id }}{% endrecommend %}<hr>{% recommend strategy: "b" %}{{ item.title }}{% endrecommend %}',
      }),
      ctx(),
      { personalized: true, now: NOW, engine, recommend: slow },
    );
    // Let the render reach its first await: both providers must be running by then.
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a', 'b']);
    for (const resolve of waiting) resolve();
    const out = await pending;
    expect(out.kind === 'ok' && out.fields.html).toBe('p2<hr>Laces &amp; Co');
  });

  it('records only what was shown when an assign changes a block on the way, and renders blocks inside tags', async () => {
    const asked: RecommendRequest[] = [];
    const out = await render(
      {
        text: '{% assign n = 2 %}{% recommend strategy: "x", limit: n %}{{ item.id }}{% endrecommend %}{% if true %}|{% recommend strategy: "y", limit: 1 %}{{ item.id }}{% endrecommend %}{% endif %}',
      },
      ctx(),
      {
        recommend: async (r) => {
          asked.push(r);
          return items;
        },
      },
    );
    expect(out.kind === 'ok' && out.fields.text).toBe('p2p3|p2');
    // The prefetch read `n` before the assign (limit 4): asked, not shown.
    expect(asked.map((r) => `${r.strategy}:${r.limit}`)).toEqual(['x:4', 'x:2', 'y:1']);
    expect(
      out.kind === 'ok' &&
        out.blocks.map((b) => `${b.request.strategy as string}:${b.request.limit as number}`),
    ).toEqual(['x:2', 'y:1']);
  });

  it('reports a provider that fails asynchronously at its block', async () => {
    const out = await render(
      { text: 'a\n{% offer placement: "x" %}{{ offer.id }}{% endoffer %}' },
      ctx(),
      {},
    );
    expect(out.kind).toBe('ok');
    const failing = await renderTemplate(
      template({ text: 'a\n {% offer placement: "x" %}{{ offer.id }}{% endoffer %}' }),
      ctx(),
      {
        personalized: true,
        now: NOW,
        engine,
        offer: () => Promise.reject(new Error('decision service down')),
      },
    );
    expect(failing).toEqual({
      kind: 'failed',
      errors: [{ field: 'text', line: 2, col: 2, message: 'decision service down' }],
    });
  });

  it.each([
    ['a list that is not one, synchronously', () => null],
    ['a list that is not one, through a promise', async () => ({ items: [] })],
  ])('reports a provider answering %s', async (_name, provider) => {
    const out = await render(
      { text: '{% recommend strategy: "x" %}{{ item.id }}{% endrecommend %}' },
      ctx(),
      {
        recommend: provider as unknown as RecommendProvider,
      },
    );
    expect(out).toEqual({
      kind: 'failed',
      errors: [
        {
          field: 'text',
          line: 1,
          col: 1,
          message: 'recommend: the provider did not answer with a list',
        },
      ],
    });
  });

  it('asks the offer provider and renders the offer or the else', async () => {
    const offer = vi.fn(async (r: { placement: string }) =>
      r.placement === 'email_block' ? { id: 'o1', title: '10% off', decisionId: 'd1' } : null,
    );
    const out = await renderTemplate(
      template({
        text: '{% offer placement: "email_block" %}{{ offer.title }} ({{ offer.decisionId }}){% endoffer %}|{% offer placement: "other" %}x{% else %}no offer{% endoffer %}',
      }),
      ctx(),
      { personalized: true, now: NOW, engine, offer },
    );
    expect(out.kind === 'ok' && out.fields.text).toBe('10% off (d1)|no offer');
    expect(out.kind === 'ok' && out.blocks).toEqual([
      {
        kind: 'offer',
        request: { placement: 'email_block', personalized: true, profileId: 'prof_1' },
        offer: { id: 'o1', title: '10% off', decisionId: 'd1' },
      },
      {
        kind: 'offer',
        request: { placement: 'other', personalized: true, profileId: 'prof_1' },
        offer: null,
      },
    ]);
  });

  it('does not let a template pass personalized or profileId itself', async () => {
    const seen: RecommendRequest[] = [];
    await render(
      {
        text: '{% recommend strategy: "x", personalized: true, profileId: "someone_else" %}{% endrecommend %}',
      },
      ctx(),
      {
        personalized: false,
        recommend: async (r) => {
          seen.push(r);
          return [];
        },
      },
    );
    expect(seen).toEqual([{ strategy: 'x', limit: 4, personalized: false }]);
  });
});

describe('renderTemplate: non-personalized', () => {
  const tpl: Partial<MessageTemplateInput> = {
    subject:
      'Because you like {{ profile.computed.affinities.category }}, {{ profile.traits.first_name }}',
    html: '<p>{{ profile.traits.first_name }} ({{ profile.traits.plan }}) viewed {{ event.properties.product_id }}{{ recommendations[0].id }}</p>{% recommend strategy: "for_you", limit: 1 %}{{ item.id }}{% endrecommend %}<a href="{{ links.unsubscribe }}">u</a>',
    nonPersonalized: {
      subject: 'New this week, {{ profile.traits.first_name | default: "friend" }}',
    },
  };

  it('uses the variant, hides behaviour and asks for non-personalized recommendations', async () => {
    const seen: RecommendRequest[] = [];
    const out = await render(tpl, ctx({ recommendations: [{ id: 'secret' }] }), {
      personalized: false,
      recommend: async (r) => {
        seen.push(r);
        return [{ id: 'popular_1' }];
      },
    });
    expect(out).toEqual({
      kind: 'ok',
      personalized: false,
      fields: {
        subject: 'New this week, Ann',
        html: '<p>Ann () viewed </p>popular_1<a href="https://r.test/u/tok">u</a>',
        text: 'Hello',
      },
      blocks: [
        {
          kind: 'recommend',
          request: { strategy: 'for_you', limit: 1, personalized: false },
          items: [{ id: 'popular_1' }],
        },
      ],
    });
    expect(seen).toEqual([{ strategy: 'for_you', limit: 1, personalized: false }]);
  });

  it('shows everything when personalized', async () => {
    const out = await render(tpl, ctx({ recommendations: [{ id: 'r1' }] }), {
      recommend: async () => [{ id: 'mine' }],
    });
    expect(out.kind === 'ok' && out.fields).toEqual({
      subject: 'Because you like shoes, Ann',
      html: '<p>Ann (gold) viewed p1r1</p>mine<a href="https://r.test/u/tok">u</a>',
      text: 'Hello',
    });
  });

  it('names the variant field in its errors', async () => {
    const out = await render(
      { nonPersonalized: { text: '{% recommend strategy: "x", limit: 99 %}{% endrecommend %}' } },
      ctx(),
      { personalized: false },
    );
    expect(out).toEqual({
      kind: 'failed',
      errors: [
        {
          field: 'nonPersonalized.text',
          line: 1,
          col: 1,
          message: 'recommend: limit must be a whole number from 1 to 50 (got 99)',
        },
      ],
    });
  });
});
