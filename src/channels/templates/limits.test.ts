import { describe, expect, it } from 'vitest';
import type { TemplateContext } from './context.js';
import { TemplateEngine } from './engine.js';
import { DEFAULT_TEMPLATE_LIMITS, type TemplateLimits } from './limits.js';
import type { MessageTemplateInput } from './message-template.js';
import { MessageTemplate } from './message-template.js';
import type { RecommendProvider } from './providers.js';
import { renderTemplate } from './render.js';

const NOW = Date.UTC(2026, 2, 14, 9, 30);
const context: TemplateContext = { profile: { id: 'prof_1', traits: { first_name: 'Ann' } } };

function template(over: Partial<MessageTemplateInput>): MessageTemplate {
  return MessageTemplate.parse({
    id: 'tpl_1',
    name: 'Test',
    channel: 'email',
    subject: 'Hi',
    text: 'Hello',
    ...over,
  });
}

function render(
  over: Partial<MessageTemplateInput>,
  limits: Partial<TemplateLimits> = {},
  recommend?: RecommendProvider,
) {
  return renderTemplate(template(over), context, {
    personalized: true,
    now: NOW,
    engine: new TemplateEngine(limits),
    ...(recommend ? { recommend } : {}),
  });
}

// Three nested loops over 1,000 items: a billion iterations, hours of work for LiquidJS
// (about 120,000 a second here), and no allocation its memory limit would charge.
const NESTED_LOOPS =
  '{% assign xs = (1..1000) %}{% for a in xs %}{% for b in xs %}{% for c in xs %}' +
  '{% if c == 0 %}x{% endif %}{% endfor %}{% endfor %}{% endfor %}';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('render limits', () => {
  it('are strict by default: 1 s and 256 KB per message', () => {
    expect(DEFAULT_TEMPLATE_LIMITS).toMatchObject({ renderMs: 1000, outputBytes: 262_144 });
  });

  it('stops a render that runs past the time limit, where it was', async () => {
    const started = performance.now();
    // html renders before text: text is never reached.
    const out = await render({ html: NESTED_LOOPS, text: 'never reached' }, { renderMs: 150 });
    const took = performance.now() - started;
    expect(out.kind).toBe('failed');
    if (out.kind === 'ok') return;
    // One error: the render stops at the first limit instead of failing each field.
    expect(out.errors).toEqual([
      {
        field: 'html',
        line: 1,
        col: expect.any(Number),
        message: 'exceeded the render time limit of 150 ms',
        limit: 'time',
      },
    ]);
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(1000);
  });

  it('counts time for the whole message, provider calls included', async () => {
    // Each block waits 80 ms for its provider: within 120 ms for one field, over for two.
    const slow: RecommendProvider = async () => {
      await sleep(80);
      return [{ id: 'p1' }];
    };
    const block = (strategy: string) =>
      `{% if true %}{% recommend strategy: "${strategy}" %}{{ item.id }}{% endrecommend %}{% endif %}`;
    const one = await render({ subject: block('a') }, { renderMs: 120 }, slow);
    expect(one).toMatchObject({ kind: 'ok', fields: { subject: 'p1' } });
    const two = await render({ subject: block('a'), text: block('b') }, { renderMs: 120 }, slow);
    expect(two).toMatchObject({
      kind: 'failed',
      errors: [
        { field: 'text', message: 'exceeded the render time limit of 120 ms', limit: 'time' },
      ],
    });
  });

  it('stops output at the limit, in bytes, across the fields of a message', async () => {
    const loop = await render({ text: '{% for i in (1..30) %}x{% endfor %}' }, { outputBytes: 20 });
    expect(loop).toEqual({
      kind: 'failed',
      errors: [
        {
          field: 'text',
          line: 1,
          col: 23, // the `x` that overflowed
          message: 'exceeded the output limit of 20 bytes',
          limit: 'output',
        },
      ],
    });
    // 12 characters, but 24 bytes of UTF-8.
    const accents = await render({ subject: 'é'.repeat(12), text: '' }, { outputBytes: 20 });
    expect(accents).toMatchObject({
      kind: 'failed',
      errors: [{ field: 'subject', limit: 'output' }],
    });
    // 10 + 10 bytes fit exactly; one more does not.
    const fits = await render(
      { subject: 'a'.repeat(10), text: 'b'.repeat(10) },
      { outputBytes: 20 },
    );
    expect(fits).toMatchObject({
      kind: 'ok',
      fields: { subject: 'aaaaaaaaaa', text: 'bbbbbbbbbb' },
    });
    const over = await render(
      { subject: 'a'.repeat(10), text: 'b'.repeat(11) },
      { outputBytes: 20 },
    );
    expect(over).toMatchObject({ kind: 'failed', errors: [{ field: 'text', limit: 'output' }] });
  });

  it('counts escaped output, as it is sent', async () => {
    // `&` is five bytes once escaped in HTML: four fit in 20 bytes, five do not.
    const withAmpersands = (n: number) =>
      renderTemplate(
        template({ subject: '', html: '{{ profile.traits.v }}', text: undefined }),
        { profile: { id: 'p', traits: { v: '&'.repeat(n) } } },
        { personalized: true, now: NOW, engine: new TemplateEngine({ outputBytes: 20 }) },
      );
    expect(await withAmpersands(4)).toMatchObject({
      kind: 'ok',
      fields: { html: '&amp;'.repeat(4) },
    });
    expect(await withAmpersands(5)).toMatchObject({
      kind: 'failed',
      errors: [{ field: 'html', limit: 'output' }],
    });
  });

  it('stops a render that allocates too much', async () => {
    const out = await render({ text: '{% for i in (1..100000000) %}{{ i }}{% endfor %}' });
    expect(out).toEqual({
      kind: 'failed',
      errors: [
        {
          field: 'text',
          line: 1,
          col: 1,
          message: 'exceeded the memory limit of 20000000 allocation units',
          limit: 'memory',
        },
      ],
    });
  });

  it('reports other render errors as before, without a limit', async () => {
    const out = await render({ text: '{{ "%E0%A4%A" | url_decode }}' });
    expect(out).toEqual({
      kind: 'failed',
      errors: [{ field: 'text', line: 1, col: 1, message: 'URI malformed' }],
    });
  });
});
