import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ctx,
  engine,
  fields,
  NOW,
  render,
  template,
} from '../../../test/helpers/message-templates.js';
import { decodeEntities } from '../html/index.js';
import { compileTemplate } from './compile.js';
import type { MessageTemplateInput } from './message-template.js';
import type { RecommendRequest } from './providers.js';
import { renderTemplate } from './render.js';

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
