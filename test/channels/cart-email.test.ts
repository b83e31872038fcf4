import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { startSmtp } from '../helpers/smtp.js';
import { STORE_KINDS } from '../helpers/stores.js';

const HOUR = 3_600_000;
const SHOP = 'https://shop.example.com';

const BRAND = {
  name: 'Maison Lin',
  website: SHOP,
  logoUrl: `${SHOP}/logo.png`,
  colors: { primary: '#7c3aed', buttonText: '#ffffff', background: '#faf5ff' },
  address: ['12 Rue des Lilas', '75011 Paris', 'France'],
  cartUrl: `${SHOP}/cart/{cart_id}`,
  locale: 'en-GB',
};

const ITEMS = [
  { id: 'p1', title: 'Linen shirt', price: 49, currency: 'EUR', categories: ['Shirts'] },
  { id: 'p2', title: 'Straw hat', price: 25.5, currency: 'EUR', categories: ['Hats'] },
  { id: 'p3', title: 'Canvas belt', price: 19, currency: 'EUR', categories: ['Belts'] },
  { id: 'p4', title: 'Espadrilles', price: 59, currency: 'EUR', categories: ['Shoes'] },
].map((i) => ({ ...i, url: `${SHOP}/p/${i.id}`, image: `${SHOP}/img/${i.id}.jpg` }));

describe.each(STORE_KINDS)('the ready cart e-mail over real SMTP (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeEach(async () => {
    smtp = await startSmtp();
    clock = new ManualClock(Date.UTC(2026, 4, 12, 9, 0));
    // Rapport on another host than the shop: shop links go out as they are (untracked).
    t = await createTestApp(kind, {
      clock,
      smtpUrl: smtp.url,
      publicUrl: 'https://rapport.example.net',
    });
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      const a = await t.ctx.profiles.drain();
      const b = await t.ctx.journeys.runDueTimers();
      const c = await t.ctx.outbox.step();
      if (a === 0 && !b && !c) return;
    }
  };
  let n = 0;
  const track = (userId: string, event: string, properties: Record<string, unknown>) =>
    send(t, 'POST', '/v1/track', t.keys.write, {
      messageId: `m${++n}`,
      timestamp: new Date(clock.now()).toISOString(),
      userId,
      event,
      properties,
    });

  it('shows product cards with images, names, prices and links, the cart link and the brand', async () => {
    const settings = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, {
      email: { from: 'hello@shop.example.com', fromName: 'Maison Lin' },
      brand: BRAND,
    });
    expect(settings.statusCode, settings.body).toBe(200);
    expect(settings.json().brand).toMatchObject({ ...BRAND, colors: { surface: '#ffffff' } });
    const put = await send(t, 'PUT', '/v1/catalog/items', t.keys.write, { items: ITEMS });
    expect(put.statusCode, put.body).toBe(200);
    // Other shoppers buy the shirt with the belt: "goes well with" has something to say.
    for (const buyer of ['b1', 'b2', 'b3'])
      await track(buyer, 'Order Completed', {
        order_id: `o-${buyer}`,
        products: [
          { product_id: 'p1', price: 49, quantity: 1 },
          { product_id: 'p3', price: 19, quantity: 1 },
        ],
      });
    await settle();
    const trained = await send(t, 'POST', '/v1/admin/recommendations/train', t.keys.admin);
    expect(trained.statusCode, trained.body).toBe(200);

    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'ada',
      traits: { first_name: 'Ada', email: 'ada@example.com', email_opt_in: true },
    });
    const j = await send(t, 'POST', '/v1/journeys', t.keys.admin, {
      recipe: 'cart_abandonment',
      params: { delay: 'PT1H', channel: 'email' },
    });
    expect(j.statusCode, j.body).toBe(201);
    // A bare event (the catalog fills in the rest) and one with its own name and price.
    await track('ada', 'Product Added', { cart_id: 'c 42', product_id: 'p1', quantity: 1 });
    await track('ada', 'Product Added', {
      cart_id: 'c 42',
      product_id: 'p2',
      name: 'Straw hat (large)',
      price: 22,
      quantity: 2,
    });
    await settle();
    clock.advance(HOUR);
    await settle();

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    const html = mail.html as string;
    expect(mail.subject).toBe('You left something in your cart');
    expect(mail.from?.text).toBe('"Maison Lin" <hello@shop.example.com>');

    // Product cards: image with its name as alt text, linked name, price with currency.
    const cards = html.split('data-product-card').slice(1);
    // Two in the cart, then what goes with them: the belt bought with the shirt first, the
    // rest of the catalog after (the cart's own items are never recommended).
    expect(cards.length).toBe(4);
    expect(cards[0]).toContain(`<img src="${SHOP}/img/p1.jpg" alt="Linen shirt"`);
    expect(cards[0]).toContain(`href="${SHOP}/p/p1"`);
    expect(cards[0]).toContain('€49.00');
    expect(cards[1]).toContain(`<img src="${SHOP}/img/p2.jpg" alt="Straw hat (large)"`);
    expect(cards[1]).toContain('€22.00'); // the price the event carried
    expect(cards[1]).toContain('Quantity: 2');
    expect(cards[2]).toContain('Canvas belt');
    expect(cards[2]).toContain(`<img src="${SHOP}/img/p3.jpg" alt="Canvas belt"`);
    expect(cards[2]).toContain('€19.00');
    expect(cards[3]).toContain('Espadrilles');
    expect(cards[3]).toContain('€59.00');
    expect(html).toContain('Goes well with');

    // The cart link, with the cart's id in it.
    expect(html).toMatch(new RegExp(`href="${SHOP}/cart/c%2042"[^>]*>Return to your cart</a>`));
    // The brand: logo (alt: the shop's name), colours, postal address.
    expect(html).toContain(`<img src="${SHOP}/logo.png" alt="Maison Lin"`);
    expect(html).toContain('background:#7c3aed');
    expect(html).toContain('background:#faf5ff');
    for (const line of BRAND.address) expect(html).toContain(line);

    // The plain-text part says the same.
    expect(mail.text).toContain('Maison Lin');
    expect(mail.text).toContain('- Linen shirt: €49.00');
    expect(mail.text).toContain('- Straw hat (large) × 2: €22.00');
    expect(mail.text).toContain(`Return to your cart: ${SHOP}/cart/c%2042`);
    expect(mail.text).toContain('- Canvas belt: €19.00');
    expect(mail.text).toContain('75011 Paris');
  });

  it('takes the brand example of docs/channels.md', async () => {
    const doc = readFileSync(new URL('../../docs/channels.md', import.meta.url), 'utf8');
    const example = [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
      .map((m) => JSON.parse(m[1]!) as Record<string, unknown>)
      .find((j) => 'brand' in j);
    expect(example).toBeDefined();
    const r = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, example);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().brand).toEqual(example!.brand);
  });

  it('refuses brand settings that would break the e-mail, naming the field', async () => {
    const bad = async (brand: Record<string, unknown>) => {
      const r = await send(t, 'PUT', '/v1/admin/settings', t.keys.admin, { brand });
      expect(r.statusCode, r.body).toBe(400);
      return r.json<{ error: { details: { path: string; problem: string }[] } }>().error.details;
    };
    expect(await bad({ logoUrl: 'http://shop.example.com/logo.png' })).toEqual([
      { path: 'brand.logoUrl', problem: 'must be an https:// URL' },
    ]);
    expect(await bad({ colors: { primary: 'purple' } })).toEqual([
      { path: 'brand.colors.primary', problem: 'must be a hex colour such as #1a73e8' },
    ]);
    expect((await bad({ address: ['1', '2', '3', '4', '5', '6', '7'] }))[0]!.path).toBe(
      'brand.address',
    );
    expect((await bad({ cartUrl: 'javascript:alert(1)' }))[0]!.path).toBe('brand.cartUrl');
    expect((await bad({ locale: 'not a locale!' }))[0]!.path).toBe('brand.locale');
    expect((await bad({ currency: 'eur' }))[0]!.path).toBe('brand.currency');
  });
});
