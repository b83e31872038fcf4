import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';

// Twelve items in three categories and two brands; one out of stock.
const ITEMS = Array.from({ length: 12 }, (_, i) => ({
  id: `i${i}`,
  title: `Item ${i}`,
  categories: [['Shirts', 'Hats', 'Shoes'][i % 3]!],
  brand: i % 2 === 0 ? 'Acme' : 'Bolt',
  price: 10 + i,
  currency: 'EUR',
  in_stock: i !== 11,
  url: `https://shop.example.com/p/i${i}`,
  image: `https://shop.example.com/img/i${i}.jpg`,
}));

describe('GET /v1/recommendations: every documented parameter, and nothing else', () => {
  let t: TestApp;
  beforeAll(async () => {
    const clock = new ManualClock(Date.UTC(2026, 4, 12, 9));
    t = await createTestApp('sqlite', { clock });
    expect(
      (await send(t, 'PUT', '/v1/catalog/items', t.keys.write, { items: ITEMS })).statusCode,
    ).toBe(200);
    // Popularity falls with the index: i0 bought by 12 people, i1 by 11...
    let n = 0;
    for (let buyer = 0; buyer < 12; buyer++) {
      const products = ITEMS.slice(0, 12 - buyer).map((i) => ({
        product_id: i.id,
        price: i.price,
      }));
      await send(t, 'POST', '/v1/track', t.keys.write, {
        messageId: `o${++n}`,
        userId: `b${buyer}`,
        event: 'Order Completed',
        timestamp: new Date(clock.now()).toISOString(),
        properties: { order_id: `o${n}`, products },
      });
    }
    await send(t, 'POST', '/v1/track', t.keys.write, {
      messageId: 'v1',
      userId: 'viewer',
      event: 'Product Viewed',
      timestamp: new Date(clock.now()).toISOString(),
      properties: { product_id: 'i0' },
    });
    await t.ctx.profiles.drain();
    expect(
      (await send(t, 'POST', '/v1/admin/recommendations/train', t.keys.admin)).statusCode,
    ).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const ids = async (query: string) => {
    const res = await send(
      t,
      'GET',
      `/v1/recommendations?strategy=popular&fill=false&${query}`,
      t.keys.read,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: { itemId: string }[] }>().items.map((i) => i.itemId);
  };

  it('ranks by popularity and leaves out what is out of stock unless asked', async () => {
    expect(await ids('limit=3')).toEqual(['i0', 'i1', 'i2']);
    expect(await ids('limit=20')).not.toContain('i11');
    expect(await ids('limit=20&includeOutOfStock=true')).toContain('i11');
  });

  it('filters by category, brand and price, and excludes ids, categories and brands', async () => {
    expect(await ids('limit=3&excludeCategories=Shirts')).toEqual(['i1', 'i2', 'i4']);
    expect(await ids('limit=3&excludeCategories=Shirts,Hats')).toEqual(['i2', 'i5', 'i8']);
    expect(await ids('limit=3&excludeBrands=Acme')).toEqual(['i1', 'i3', 'i5']);
    expect(await ids('limit=3&brands=Bolt&category=Hats')).toEqual(['i1', 'i7']);
    expect(await ids('limit=3&categories=Hats,Shoes&minPrice=13&maxPrice=17')).toEqual([
      'i4',
      'i5',
      'i7',
    ]);
    expect(await ids('limit=2&exclude=i0,i1')).toEqual(['i2', 'i3']);
    // A repeated parameter is a list too.
    expect(await ids('limit=2&exclude=i0&exclude=i1')).toEqual(['i2', 'i3']);
  });

  it('applies boosts (JSON), diversity and excludeSeen', async () => {
    const boost = encodeURIComponent(
      JSON.stringify([{ match: { brands: ['Bolt'] }, factor: 100 }]),
    );
    expect(await ids(`limit=3&boosts=${boost}`)).toEqual(['i1', 'i3', 'i5']);
    const shirts = encodeURIComponent(
      JSON.stringify([{ match: { categories: ['Shirts'] }, factor: 100 }]),
    );
    expect(await ids(`limit=3&boosts=${shirts}`)).toEqual(['i0', 'i3', 'i6']);
    expect(await ids(`limit=3&boosts=${shirts}&maxPerCategory=1`)).toEqual(['i0', 'i1', 'i2']);
    expect(await ids('limit=3&userId=viewer&excludePurchased=false')).toEqual(['i0', 'i1', 'i2']);
    expect(await ids('limit=3&userId=viewer&excludeSeen=true')).toEqual(['i1', 'i2', 'i3']);
    expect((await ids('limit=4&mmrLambda=0.2')).length).toBe(4);
  });

  it('answers 400 naming unknown parameters and bad values', async () => {
    const bad = async (query: string) => {
      const res = await send(t, 'GET', `/v1/recommendations?${query}`, t.keys.read);
      expect(res.statusCode, res.body).toBe(400);
      return JSON.stringify(res.json<{ error: { details: unknown } }>().error.details);
    };
    expect(await bad('exlude=i0&max_price=3')).toMatch(/exlude.*max_price|max_price.*exlude/);
    expect(await bad('excludeSeen=yes')).toContain('excludeSeen');
    expect(await bad('minPrice=cheap')).toContain('minPrice');
    expect(await bad('boosts=%5Bnot%20json')).toContain('must be a JSON array of boosts');
    expect(await bad(`boosts=${encodeURIComponent('[{"match":{},"factor":-1}]')}`)).toContain(
      'boosts.0.factor',
    );
    expect(await bad('mmrLambda=2')).toContain('mmrLambda');
    expect(await bad('strategy=nope')).toContain('nope');
  });
  let templates = 0;
  const preview = async (html: string, body: Record<string, unknown> = {}) => {
    const id = `recs${++templates}`;
    const saved = await send(t, 'POST', '/v1/templates', t.keys.admin, {
      id,
      name: 'Recs',
      channel: 'email',
      subject: 'Picks',
      html,
    });
    if (saved.statusCode !== 201) return saved;
    return send(t, 'POST', `/v1/templates/${id}/preview`, t.keys.admin, {
      value: 'viewer',
      ...body,
    });
  };

  it('passes every {% recommend %} argument to the engine and gives each item its catalog card', async () => {
    const res = await preview(
      '{% recommend strategy: "popular", limit: 3, exclude: "i0", excludeBrands: "Bolt", cart: message.items, fill: false %}' +
        '[{{ item.id }}|{{ item.name }}|{{ item.url }}|{{ item.image }}|{{ item.price | money: item.currency }}|{{ item.brand }}|{{ item.categories | join: "," }}]' +
        '{% endrecommend %}',
      { items: [{ product_id: 'i2' }] },
    );
    expect(res.statusCode, res.body).toBe(200);
    // i0 excluded, Bolt's odd ids excluded, i2 in the cart: i4, i6, i8.
    expect(res.json().fields.html).toBe(
      [4, 6, 8]
        .map(
          (i) =>
            `[i${i}|Item ${i}|https://shop.example.com/p/i${i}|https://shop.example.com/img/i${i}.jpg|€${10 + i}.00|Acme|${['Shirts', 'Hats', 'Shoes'][i % 3]}]`,
        )
        .join(''),
    );
    const more = await preview(
      '{% recommend strategy: "popular", limit: 2, excludeCategories: "Shirts", minPrice: 12, includeOutOfStock: true, fill: false %}{{ item.id }} {% endrecommend %}',
    );
    expect(more.json().fields.html).toBe('i2 i4 ');
  });

  it('refuses an unknown {% recommend %} argument when the template is saved, and names a bad value', async () => {
    const unknown = await preview(
      '{% recommend strategy: "popular", exlude: "i0" %}{% endrecommend %}',
    );
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json().error.details)).toContain(
      'recommend: unknown argument exlude',
    );
    const badValue = await preview(
      '{% recommend strategy: "popular", maxPrice: "cheap" %}{% endrecommend %}',
    );
    expect(badValue.statusCode).toBe(400);
    expect(badValue.json().error.message).toBe('The template does not render for this person.');
    expect(JSON.stringify(badValue.json().error.details)).toContain(
      'recommend: maxPrice: must be a number',
    );
  });
});
