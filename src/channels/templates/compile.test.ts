import { describe, expect, it } from 'vitest';
import { engine, template } from '../../../test/helpers/message-templates.js';
import { compileTemplate } from './compile.js';
import { TemplateEngine } from './engine.js';

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
