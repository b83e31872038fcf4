import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MessageTemplate,
  renderTemplate,
  TemplateEngine,
  type MessageTemplateInput,
  type OfferProvider,
  type RecommendProvider,
  type TemplateContext,
  type TemplateLimits,
} from '../templates/index.js';
import { RenderPool, type RenderPoolOptions } from './render-pool.js';

const NOW = Date.UTC(2026, 2, 14, 9, 30);
const context: TemplateContext = {
  profile: { id: 'prof_1', traits: { first_name: 'Ann & Bo' }, computed: { orders: 3 } },
  event: { event: 'Product Viewed', properties: { product_id: 'p1' } },
  links: { unsubscribe: 'https://r.test/u/tok' },
};

function template(over: Partial<MessageTemplateInput> = {}): MessageTemplate {
  return MessageTemplate.parse({
    id: 'tpl_1',
    name: 'Test',
    channel: 'email',
    subject: 'Hi {{ profile.traits.first_name }}',
    text: 'Hello',
    ...over,
  });
}

// Never yields to LiquidJS's render limit: one filter call over three million items,
// within its memory limit, runs for seconds in a single node.
const STUCK_IN_A_FILTER = '{{ (1..3000000) | where_exp: "x", "x > 0" | size }}';
// Three nested loops over 1,000 items: a billion iterations, hours of work for LiquidJS
// (about 120,000 a second here), and no allocation its memory limit would charge.
const NESTED_LOOPS =
  '{% assign xs = (1..1000) %}{% for a in xs %}{% for b in xs %}{% for c in xs %}' +
  '{% if c == 0 %}x{% endif %}{% endfor %}{% endfor %}{% endfor %}';

let pool: RenderPool | undefined;
function open(options: RenderPoolOptions = {}): RenderPool {
  pool = new RenderPool(options);
  return pool;
}
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

const timed = async <T>(work: Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await work;
  return [value, performance.now() - started];
};

describe('RenderPool', () => {
  it('renders on a worker exactly as renderTemplate does here, asking providers across', async () => {
    const items = [
      { id: 'p2', title: 'Laces & Co' },
      { id: 'p3', title: 'Socks' },
    ];
    const recommend = vi.fn<RecommendProvider>(async (r) => items.slice(0, r.limit));
    const offer = vi.fn<OfferProvider>((r) =>
      r.placement === 'none' ? null : { title: 'Ten off' },
    );
    const t = template({
      html:
        '<p>{{ profile.traits.first_name }}</p>' +
        '{% recommend strategy: "similar", limit: 2, item_id: event.properties.product_id %}<li>{{ item.title }}</li>{% endrecommend %}' +
        '{% for i in (1..2) %}{% offer placement: "banner", n: i %}[{{ offer.title }}]{% endoffer %}{% endfor %}' +
        '{% offer placement: "none" %}x{% else %}no offer{% endoffer %}',
      text: '{{ "now" | date: "%Y-%m-%d" }} {{ profile.computed.orders }}',
    });
    const options = { personalized: true, now: NOW, recommend, offer };
    const here = await renderTemplate(t, context, { ...options, engine: new TemplateEngine() });
    const calledHere = [recommend.mock.calls.slice(), offer.mock.calls.slice()];
    recommend.mockClear();
    offer.mockClear();

    const there = await open().render(t, context, options);
    expect(there).toEqual(here);
    expect(there).toMatchObject({
      kind: 'ok',
      fields: {
        html: '<p>Ann &amp; Bo</p><li>Laces &amp; Co</li><li>Socks</li>[Ten off][Ten off]no offer',
        text: '2026-03-14 3',
      },
    });
    expect([recommend.mock.calls, offer.mock.calls]).toEqual(calledHere);
    expect(recommend).toHaveBeenCalledWith({
      strategy: 'similar',
      limit: 2,
      item_id: 'p1',
      personalized: true,
      profileId: 'prof_1',
    });
  });

  it('starts threads only when renders need them, and no more than asked', async () => {
    const p = open({ threads: 2 });
    expect(p.stats()).toEqual({ threads: 0, rendering: 0, queued: 0 });
    const outs = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        p.render(template({ text: `n=${n}` }), context, { personalized: true, now: NOW }),
      ),
    );
    expect(outs.map((o) => (o.kind === 'ok' ? o.fields.text : o.errors))).toEqual([
      'n=1',
      'n=2',
      'n=3',
      'n=4',
      'n=5',
    ]);
    expect(p.stats()).toEqual({ threads: 2, rendering: 0, queued: 0 });
  });

  it('stops a render that never yields at the time limit, and replaces the thread', async () => {
    const p = open({ threads: 1, limits: { renderMs: 300 } });
    // Warm the thread up, so its start-up is not counted below.
    await p.render(template(), context, { personalized: true, now: NOW });
    const [out, took] = await timed(
      p.render(template({ html: STUCK_IN_A_FILTER }), context, { personalized: true, now: NOW }),
    );
    expect(out).toEqual({
      kind: 'failed',
      errors: [
        { field: 'html', message: 'exceeded the render time limit of 300 ms', limit: 'time' },
      ],
    });
    expect(took).toBeGreaterThanOrEqual(300);
    expect(took).toBeLessThan(1500);
    const after = await p.render(template(), context, { personalized: true, now: NOW });
    expect(after).toMatchObject({ kind: 'ok', fields: { subject: 'Hi Ann & Bo' } });
  });

  it('is needed: in this thread, LiquidJS cannot stop a render inside one filter', async () => {
    // The same shape, smaller: it finishes, past a limit it never got to check.
    const limits: Partial<TemplateLimits> = { renderMs: 20 };
    const [out, took] = await timed(
      renderTemplate(
        // In the last field: no later field notices the budget is spent.
        template({ text: '{{ (1..100000) | where_exp: "x", "x > 0" | size }}' }),
        context,
        { personalized: true, now: NOW, engine: new TemplateEngine(limits) },
      ),
    );
    expect(out).toMatchObject({ kind: 'ok', fields: { text: '100000' } });
    expect(took).toBeGreaterThan(20);
  });

  it('reports a limit LiquidJS caught in the worker with its field, line and column', async () => {
    const p = open({ threads: 1, limits: { renderMs: 200, outputBytes: 50 } });
    const slow = await p.render(template({ html: `<p>\n${NESTED_LOOPS}</p>` }), context, {
      personalized: true,
      now: NOW,
    });
    expect(slow).toEqual({
      kind: 'failed',
      errors: [
        {
          field: 'html',
          line: 2,
          col: expect.any(Number),
          message: 'exceeded the render time limit of 200 ms',
          limit: 'time',
        },
      ],
    });
    const long = await p.render(
      template({ text: '{% for i in (1..60) %}x{% endfor %}' }),
      context,
      {
        personalized: true,
        now: NOW,
      },
    );
    expect(long).toMatchObject({
      kind: 'failed',
      errors: [
        { field: 'text', message: 'exceeded the output limit of 50 bytes', limit: 'output' },
      ],
    });
  });

  it('reports a throwing provider, or one answering with what cannot cross threads', async () => {
    const p = open();
    const html = '{% recommend strategy: "x" %}{{ item.id }}{% endrecommend %}';
    const throwing = await p.render(template({ html }), context, {
      personalized: true,
      now: NOW,
      recommend: () => {
        throw new Error('recommendations are warming up');
      },
    });
    expect(throwing).toEqual({
      kind: 'failed',
      errors: [{ field: 'html', line: 1, col: 1, message: 'recommendations are warming up' }],
    });
    const unclonable = await p.render(template({ html }), context, {
      personalized: true,
      now: NOW,
      recommend: () => [{ id: 'p1', score: () => 1 }],
    });
    expect(unclonable).toMatchObject({
      kind: 'failed',
      errors: [
        {
          field: 'html',
          message: expect.stringMatching(
            /^recommend: the provider answered with something that is not plain data/,
          ),
        },
      ],
    });
  });

  it('rejects a render whose context cannot be copied to a thread, and goes on', async () => {
    const p = open({ threads: 1 });
    const options = { personalized: true, now: NOW };
    await p.render(template(), context, options); // started: the next one is posted at once
    const bad = { profile: { id: 'p', traits: { greet: () => 'hi' } } };
    await expect(p.render(template(), bad, options)).rejects.toThrow(
      /^the render's data cannot be sent to a thread/,
    );
    expect(await p.render(template(), context, options)).toMatchObject({ kind: 'ok' });
  });

  it('fails a render that outgrows its heap with the memory limit', async () => {
    const p = open({ threads: 1, heapMb: 16, limits: { renderMs: 10_000 } });
    // A million copies of a 3 KB array, captured: LiquidJS charges its memory limit for
    // neither the printing nor the capture, so only the thread's heap stops it.
    const html =
      '{% assign xs = (1..1000) %}' +
      '{% capture s %}{% for a in xs %}{% for b in xs %}{{ xs }}{% endfor %}{% endfor %}{% endcapture %}{{ s.size }}';
    const out = await p.render(template({ html }), context, { personalized: true, now: NOW });
    expect(out).toEqual({
      kind: 'failed',
      errors: [{ field: 'html', message: 'exceeded the render heap of 16 MB', limit: 'memory' }],
    });
  });

  it('rejects renders waiting or in flight when closed, and every render after', async () => {
    const p = open({ threads: 1 });
    const options = { personalized: true, now: NOW };
    const inFlight = p.render(template({ html: STUCK_IN_A_FILTER }), context, options);
    const waiting = p.render(template(), context, options);
    const outcomes = Promise.allSettled([inFlight, waiting]);
    // Under tsx a thread takes a second or so to start.
    await vi.waitFor(() => expect(p.stats().rendering).toBe(1), { timeout: 10_000 });
    await p.close();
    const reasons = (await outcomes).map((o) => o.status === 'rejected' && String(o.reason));
    expect(reasons).toEqual([
      'Error: the render pool is closed',
      'Error: the render pool is closed',
    ]);
    await expect(p.render(template(), context, options)).rejects.toThrow(
      'the render pool is closed',
    );
    expect(p.stats().threads).toBe(0);
  });

  it('never keeps a process alive once its renders are done', async () => {
    // A script that renders and never closes the pool still exits.
    const script = `
      import { RenderPool, MessageTemplate } from ${JSON.stringify(new URL('../index.ts', import.meta.url).href)};
      const pool = new RenderPool();
      const t = MessageTemplate.parse({ id: 't', name: 't', channel: 'push', pushTitle: 'Hi {{ profile.id }}', pushBody: 'b' });
      const out = await pool.render(t, { profile: { id: 'p9', traits: {} } }, { personalized: true, now: 0 });
      console.log(out.kind === 'ok' ? out.fields.pushTitle : 'failed');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: 'Hi p9' });
  });
});
