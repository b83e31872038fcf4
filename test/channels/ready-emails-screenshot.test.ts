import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileTemplate,
  MessageTemplate,
  renderTemplate,
  TemplateEngine,
} from '../../src/channels/templates/index.js';
import type { RecommendedItem } from '../../src/channels/index.js';
import { DEFAULT_TEMPLATES } from '../../src/messaging/default-templates.js';
import { workspaceScope } from '../../src/messaging/message-scope.js';
import { WorkspaceSettings } from '../../src/messaging/workspace-settings.js';

// Debian's Chromium; never a downloaded browser.
const CHROMIUM = process.env.RAPPORT_TEST_CHROMIUM ?? '/usr/bin/chromium';
const SHOP = 'https://shop.example.com';
// A 1×1 PNG: the browser needs real image bytes to lay an image out.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const settings = WorkspaceSettings.parse({
  email: { fromName: 'Maison Lin' },
  brand: {
    name: 'Maison Lin',
    website: SHOP,
    logoUrl: `${SHOP}/logo.png`,
    colors: { primary: '#7c3aed' },
    address: ['12 Rue des Lilas', '75011 Paris', 'France'],
    cartUrl: `${SHOP}/cart`,
    locale: 'en-GB',
    currency: 'EUR',
  },
});

// Long names on purpose: they must wrap, not widen the message on a phone.
const items = [
  {
    product_id: 'p1',
    name: 'Washed linen shirt with mother-of-pearl buttons',
    price: 49,
    currency: 'EUR',
    quantity: 1,
  },
  { product_id: 'p2', name: 'Straw hat', price: 22, quantity: 2 },
].map((i) => ({
  ...i,
  url: `${SHOP}/p/${i.product_id}`,
  image_url: `${SHOP}/img/${i.product_id}.png`,
}));

const recommended: RecommendedItem[] = ['p3', 'p4', 'p5'].map((id, k) => ({
  id,
  name: ['Canvas belt', 'Espadrilles', 'Cotton scarf'][k],
  url: `${SHOP}/p/${id}`,
  image_url: `${SHOP}/img/${id}.png`,
  image: `${SHOP}/img/${id}.png`,
  price: 19 + k * 10,
  currency: 'EUR',
}));

interface Layout {
  scrollWidth: number;
  images: { alt: string | null; loaded: boolean; right: number }[];
  cards: { left: number; right: number; height: number; price: string; name: string }[];
  address: boolean;
  shop: boolean;
}

// Runs in the page (as text: this project's TypeScript has no DOM types).
const MEASURE = `(() => ({
  scrollWidth: document.documentElement.scrollWidth,
  images: [...document.images].map((i) => ({
    alt: i.getAttribute('alt'),
    loaded: i.complete && i.naturalWidth > 0,
    right: i.getBoundingClientRect().right,
  })),
  cards: [...document.querySelectorAll('[data-product-card]')].map((c) => {
    const r = c.getBoundingClientRect();
    return {
      left: r.left,
      right: r.right,
      height: r.height,
      price: c.querySelector('[data-price]')?.textContent ?? '',
      name: c.querySelector('a[style*="font-weight:600"]')?.textContent ?? '',
    };
  }),
  address: document.body.innerText.includes('75011 Paris'),
  shop: document.body.innerText.includes('Maison Lin'),
}))()`;

const emails = DEFAULT_TEMPLATES.filter((t) => t.channel === 'email').map((t) =>
  MessageTemplate.parse(t),
);

async function renderHtml(template: MessageTemplate) {
  const engine = new TemplateEngine();
  const compiled = compileTemplate(template, engine);
  if (compiled.kind !== 'ok') throw new Error(JSON.stringify(compiled.errors));
  const result = await renderTemplate(
    compiled.compiled,
    {
      profile: { id: 'p', traits: { first_name: 'Ada' } },
      event: { event: 'Product Price Dropped', properties: { product_id: 'p1', new_price: 49 } },
      links: {
        unsubscribe: 'https://rapport.example.net/u/x',
        preferences: 'https://rapport.example.net/p/x',
        cart: `${SHOP}/cart`,
      },
      message: { id: 'm1', items },
      workspace: workspaceScope(settings),
    },
    { personalized: true, now: 0, recommend: (r) => recommended.slice(0, r.limit) },
  );
  if (result.kind !== 'ok') throw new Error(JSON.stringify(result.errors));
  return { html: result.fields.html!, blocks: result.blocks.length };
}

describe('the ready e-mails in Chromium', () => {
  let browser: Browser;
  let shots: string;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set RAPPORT_TEST_CHROMIUM`,
      );
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox'],
    });
    shots = await mkdtemp(join(tmpdir(), 'rapport-emails-'));
    if (process.env.RAPPORT_TEST_KEEP_SHOTS) console.log(`screenshots: ${shots}`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each(emails.map((t) => [t.id, t] as const))(
    '%s lays out at 375 and 600 px: no overflow, alt text, every card and price shown',
    async (id, template) => {
      const { html, blocks } = await renderHtml(template);
      const cards = (html.match(/data-product-card/g) ?? []).length;
      const withItems = template.html!.includes('{% for item in message.items %}');
      // Every item of the run, then every recommended item of each block.
      expect(cards).toBe((withItems ? items.length : 0) + blocks * recommended.length);
      for (const width of [375, 600]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        try {
          await page.route(`${SHOP}/**`, (route) =>
            route.fulfill({ status: 200, contentType: 'image/png', body: PNG }),
          );
          await page.setContent(html, { waitUntil: 'load' });
          await page.screenshot({ path: join(shots, `${id}-${width}.png`), fullPage: true });
          const layout = await page.evaluate<Layout>(MEASURE);
          expect(layout.scrollWidth, `${id} at ${width} px`).toBeLessThanOrEqual(width);
          expect(layout.images.length).toBeGreaterThan(0); // the logo at least
          for (const image of layout.images) {
            expect(image.alt, `${id}: an image without alt text`).toMatch(/\S/);
            expect(image.loaded).toBe(true);
            expect(image.right).toBeLessThanOrEqual(width);
          }
          expect(layout.cards).toHaveLength(cards);
          for (const card of layout.cards) {
            expect(card.height).toBeGreaterThan(0);
            expect(card.left).toBeGreaterThanOrEqual(0);
            expect(card.right).toBeLessThanOrEqual(Math.min(width, 600));
            expect(card.name).toMatch(/\S/);
            expect(card.price).toMatch(/^€\d+\.\d\d$/);
          }
          for (const card of await page.locator('[data-product-card]').all())
            expect(await card.isVisible()).toBe(true);
          expect(layout.address && layout.shop).toBe(true);
        } finally {
          await page.close();
        }
      }
    },
    60_000,
  );
});
