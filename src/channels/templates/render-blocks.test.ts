import { describe, expect, it, vi } from 'vitest';
import {
  ctx,
  engine,
  fields,
  NOW,
  render,
  template,
} from '../../../test/helpers/message-templates.js';
import type { RecommendProvider, RecommendRequest } from './providers.js';
import { renderTemplate } from './render.js';

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
        // Cast: providers that break the contract on purpose, to test the renderer's guard.
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
