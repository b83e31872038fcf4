// npm run bench -- templates [--seconds 3] [--people 200] [--seed 7]
//
// Renders a realistic cart-reminder e-mail (test/fixtures/channels/cart-reminder.liquid:
// table layout, a loop over the cart, a {% recommend %} block of 4 items, escaping) for
// synthetic people: subject, preheader, HTML and text, through the compiled template and
// a recommendation provider (answering from memory, and again through a promise). Side by side in the same run:
// the same four fields built by hand-written string concatenation (the floor: no
// parsing, no scope lookups, no promises). Checks both give byte-identical output, then
// reports renders/s of each, their ratios, and the compile time of the template.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { RecommendedItem } from '../src/channels/templates/providers.js';
import type { TemplateContext } from '../src/channels/templates/context.js';
import { MessageTemplate } from '../src/channels/index.js';
import { TemplateEngine } from '../src/channels/templates/engine.js';
import { compileTemplate } from '../src/channels/templates/compile.js';
import { renderTemplate } from '../src/channels/templates/render.js';
import { report } from './_report.js';
import { mulberry32 } from '../src/shared/index.js';

const NOW = Date.UTC(2026, 4, 12, 9);

interface Product {
  product_id: string;
  name: string;
  price: number;
  quantity: number;
  url: string;
  image_url: string;
}
interface Person {
  context: TemplateContext;
  name: string | undefined;
  locale: string | undefined;
  products: Product[];
}

const NAMES = ['Ann', 'Zoë', 'Bob & Co', 'Dana <admin>', "O'Brien", 'Łukasz', undefined];
const PRODUCTS = [
  'Linen shirt',
  'Canvas "weekender" bag',
  'Leather belt',
  'Wool socks',
  'Straw hat',
  'Rain jacket',
];
const WORKSPACE = {
  name: 'Maison & Co',
  website: 'https://shop.example.com',
  logo: 'https://cdn.example.com/logo.png',
};
const RECS: RecommendedItem[] = ['Sunglasses', 'Beach towel', 'Sandals', 'Tote bag'].map(
  (name, i) => ({
    name,
    price: 12 + i,
    url: `https://shop.example.com/p/r${i}`,
    image_url: `https://cdn.example.com/r${i}.jpg`,
  }),
);

function people(n: number, seed: number): Person[] {
  const r = mulberry32(seed);
  const out: Person[] = [];
  for (let i = 0; i < n; i++) {
    const name = NAMES[Math.floor(r() * NAMES.length)];
    const locale = r() < 0.5 ? 'fr' : undefined;
    const products: Product[] = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, j) => ({
      product_id: `p${i}_${j}`,
      name: PRODUCTS[Math.floor(r() * PRODUCTS.length)]!,
      price: Math.round(r() * 20000) / 100,
      quantity: 1 + Math.floor(r() * 3),
      url: `https://shop.example.com/p/${i}_${j}`,
      image_url: `https://cdn.example.com/${i}_${j}.jpg`,
    }));
    const traits: Record<string, unknown> = {};
    if (name !== undefined) traits.first_name = name;
    if (locale !== undefined) traits.locale = locale;
    out.push({
      name,
      locale,
      products,
      context: {
        profile: { id: `prof_${i}`, traits, computed: {} },
        event: {
          event: 'Product Added',
          properties: {
            cart_id: `c${i}`,
            currency: 'EUR',
            cart_url: `https://shop.example.com/cart/c${i}`,
            products,
          },
        },
        links: {
          unsubscribe: `https://rapport.example.com/u/tok${i}`,
          preferences: `https://rapport.example.com/preferences/tok${i}`,
        },
        workspace: WORKSPACE,
      },
    });
  }
  return out;
}

const TEXT =
  'Hi {{ profile.traits.first_name | default: "there" }},\n{% for p in event.properties.products %}- {{ p.name }}\n{% endfor %}' +
  '{{ event.properties.cart_url }}\nUnsubscribe: {{ links.unsubscribe }}';

// LiquidJS's escape: the five characters HTML needs.
function esc(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}

/** The reference: the same four fields by plain string concatenation. */
function byHand(p: Person, recs: readonly RecommendedItem[]): Record<string, string> {
  const first = p.name === undefined || p.name === '' ? 'there' : p.name;
  const props = p.context.event!.properties as { currency: string; cart_url: string };
  const links = p.context.links!;
  const w = WORKSPACE;
  let cart = '';
  for (const product of p.products) {
    cart +=
      `\n      <tr><td style="padding:8px 24px" class="card">\n        <table role="presentation" width="100%"><tr>\n` +
      `          <td class="col" width="96"><img src="${esc(product.image_url)}" alt="${esc(product.name)}" width="96"></td>\n` +
      `          <td class="col"><a href="${esc(product.url)}?utm_source=email&amp;utm_campaign=cart">${esc(product.name)}</a><br>\n` +
      `            ${esc(product.quantity)} × ${esc(Math.round(product.price * 100) / 100)} ${esc(props.currency)}</td>\n` +
      `        </tr></table>\n      </td></tr>\n      `;
  }
  let block = '';
  recs.forEach((item, i) => {
    const href = `${esc(item.url)}?utm_source=email&amp;utm_campaign=cart_recs&amp;pos=${i + 1}`;
    block +=
      `\n          <td class="col" width="25%" valign="top" style="padding:4px">\n` +
      `            <a href="${href}"><img src="${esc(item.image_url)}" alt="${esc(item.name)}" width="120"></a><br>\n` +
      `            <a href="${href}">${esc(item.name)}</a><br>${esc(item.price)} ${esc(props.currency)}\n          </td>\n        `;
  });
  const many = p.products.length > 1 ? `These ${p.products.length} items are` : 'This item is';
  const html =
    `<!doctype html>\n<html lang="${esc(p.locale ?? 'en')}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${esc(w.name)}</title>\n<style>\n` +
    `  body { margin: 0; background: #f4f4f5; font-family: Helvetica, Arial, sans-serif; }\n` +
    `  .card > a[href] { color: #111827; }\n` +
    `  @media (max-width: 600px) { .col { display: block !important; width: 100% !important; } }\n</style>\n` +
    `<!--[if mso]><style>table { border-collapse: collapse; }</style><![endif]-->\n</head>\n<body>\n` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5">\n` +
    `  <tr><td align="center">\n` +
    `    <table role="presentation" width="600" cellpadding="0" cellspacing="0" style="background:#ffffff">\n` +
    `      <tr><td style="padding:24px"><a href="${esc(w.website)}?utm_source=email&amp;utm_campaign=cart"><img src="${esc(w.logo)}" alt="${esc(w.name)}" width="120"></a></td></tr>\n` +
    `      <tr><td style="padding:0 24px">\n` +
    `        <h1 style="font-size:22px">Hi ${esc(first)}, you left something behind</h1>\n` +
    `        <p>Your cart is saved. ${many} waiting for you:</p>\n      </td></tr>\n      ${cart}\n` +
    `      <tr><td style="padding:16px 24px" align="center">\n` +
    `        <a href="${esc(props.cart_url)}" style="background:#111827;color:#ffffff;padding:12px 24px;text-decoration:none;border-radius:4px">Return to your cart</a>\n` +
    `      </td></tr>\n      <tr><td style="padding:8px 24px"><h2 style="font-size:18px">Goes well with</h2></td></tr>\n` +
    `      <tr><td style="padding:0 24px">\n        <table role="presentation" width="100%"><tr>\n        ${block}\n` +
    `        </tr></table>\n      </td></tr>\n      <tr><td style="padding:24px;font-size:12px;color:#6b7280">\n` +
    `        You receive this because you have an account at ${esc(w.name)}.\n` +
    `        <a href="${esc(links.preferences)}">Preferences</a> · <a href="${esc(links.unsubscribe)}">Unsubscribe</a>\n` +
    `      </td></tr>\n    </table>\n  </td></tr>\n</table>\n</body>\n</html>\n`;
  const names = p.products.map((x) => `- ${x.name}\n`).join('');
  return {
    subject: `${p.name === undefined ? 'Hi' : p.name}, your cart is waiting`,
    preheader: `${p.products.length} items saved for you`,
    html,
    text: `Hi ${first},\n${names}${props.cart_url}\nUnsubscribe: ${links.unsubscribe}`,
  };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '3' },
      people: { type: 'string', default: '200' },
      seed: { type: 'string', default: '7' },
    },
  });
  const seconds = Number(values.seconds);
  const everyone = people(Number(values.people), Number(values.seed));
  const html = readFileSync(
    new URL('../test/fixtures/channels/cart-reminder.liquid', import.meta.url),
    'utf8',
  );
  const template = MessageTemplate.parse({
    id: 'cart_reminder',
    name: 'Cart reminder',
    channel: 'email',
    subject: '{{ profile.traits.first_name | default: "Hi" }}, your cart is waiting',
    preheader: '{{ event.properties.products.size }} items saved for you',
    html,
    text: TEXT,
  });
  const engine = new TemplateEngine();
  const compileRounds = 50;
  const c0 = performance.now();
  for (let i = 0; i < compileRounds; i++) compileTemplate(template, engine);
  const compileMs = (performance.now() - c0) / compileRounds;
  const compiled = compileTemplate(template, engine);
  if (compiled.kind !== 'ok')
    throw new Error(`template does not compile: ${JSON.stringify(compiled.errors)}`);
  // Two providers: one answering from memory (as the recommendation API does), and one
  // answering with a promise (a provider that goes to the store), which costs a second
  // render pass of the field that holds the block.
  const fromMemory = (): readonly RecommendedItem[] => RECS;
  const viaPromise = async (): Promise<readonly RecommendedItem[]> => RECS;
  const render =
    (recommend: typeof fromMemory | typeof viaPromise) =>
    async (p: Person): Promise<Record<string, string | undefined>> => {
      const out = await renderTemplate(compiled.compiled, p.context, {
        personalized: true,
        now: NOW,
        recommend,
      });
      if (out.kind !== 'ok') throw new Error(JSON.stringify(out.errors));
      return out.fields;
    };
  const rapport = render(fromMemory);
  const rapportAsync = render(viaPromise);
  const reference = async (p: Person): Promise<Record<string, string>> => byHand(p, fromMemory());

  // Same bytes, or the comparison means nothing.
  let bytes = 0;
  for (const p of everyone) {
    const a = await rapport(p);
    const b = await reference(p);
    const c = await rapportAsync(p);
    for (const field of ['subject', 'preheader', 'html', 'text']) {
      if (a[field] !== b[field] || c[field] !== b[field]) {
        throw new Error(
          `${field} differs for ${p.context.profile.id}:\n${a[field]}\n---\n${b[field]}`,
        );
      }
    }
    bytes += a.html!.length;
  }

  const measure = async (fn: (p: Person) => Promise<unknown>, ms: number): Promise<number> => {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < ms) {
      for (const p of everyone) await fn(p);
      n += everyone.length;
    }
    return n / ((performance.now() - start) / 1000);
  };
  // Warm both up, then alternate rounds so drift on a shared machine hits both alike.
  await measure(rapport, 300);
  await measure(rapportAsync, 300);
  await measure(reference, 300);
  const rounds = 3;
  const r: number[] = [];
  const a: number[] = [];
  const h: number[] = [];
  for (let i = 0; i < rounds; i++) {
    r.push(await measure(rapport, (seconds * 1000) / rounds));
    a.push(await measure(rapportAsync, (seconds * 1000) / rounds));
    h.push(await measure(reference, (seconds * 1000) / rounds));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rapportPerSec = median(r);
  const asyncPerSec = median(a);
  const referencePerSec = median(h);
  const ratio = rapportPerSec / referencePerSec;
  report(
    'templates',
    {
      people: everyone.length,
      averageHtmlBytes: Math.round(bytes / everyone.length),
      fields: ['subject', 'preheader', 'html', 'text'],
      compileMs: Number(compileMs.toFixed(3)),
      rapportRendersPerSec: Math.round(rapportPerSec),
      rapportAsyncProviderRendersPerSec: Math.round(asyncPerSec),
      asyncRatio: Number((asyncPerSec / referencePerSec).toFixed(4)),
      referenceRendersPerSec: Math.round(referencePerSec),
      ratio: Number(ratio.toFixed(4)),
      microsPerRender: Number((1e6 / rapportPerSec).toFixed(1)),
      rounds: {
        rapport: r.map(Math.round),
        rapportAsync: a.map(Math.round),
        reference: h.map(Math.round),
      },
    },
    `templates: ${Math.round(rapportPerSec).toLocaleString('en-US')} renders/s (4 fields, ${Math.round(bytes / everyone.length / 1024)} KB HTML, recommend block) vs ` +
      `${Math.round(referencePerSec).toLocaleString('en-US')}/s string concatenation = ${(ratio * 100).toFixed(1)}% (1/${(1 / ratio).toFixed(0)}); ` +
      `${Math.round(asyncPerSec).toLocaleString('en-US')}/s with an async provider; compile ${compileMs.toFixed(2)} ms`,
  );
}
