import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesSince } from '../../src/catalog/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('catalog API (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t.close();
  });
  const put = (items: unknown[]) => send(t, 'PUT', '/v1/catalog/items', t.keys.write, { items });
  const get = (id: string) =>
    send(t, 'GET', `/v1/catalog/items/${encodeURIComponent(id)}`, t.keys.read);

  it('upserts in batches, keeps absent fields, clears with null and records price/stock changes', async () => {
    const first = await put([
      {
        id: 'shoe-1',
        title: 'Trail Runner',
        categories: ['Shoes', 'Running'],
        brand: 'Acme',
        price: 120,
        currency: 'eur',
        stock: 4,
        tags: ['new'],
        attributes: { size: '42', waterproof: true },
      },
      { id: 'hat-1', title: 'Wool Hat', categories: ['Hats'], price: 20 },
    ]);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ created: 2, updated: 0, unchanged: 0 });

    const again = await put([{ id: 'hat-1', title: 'Wool Hat' }]);
    expect(again.json()).toEqual({ created: 0, updated: 0, unchanged: 1 });

    const update = await put([
      { id: 'shoe-1', price: 99, stock: 0 },
      { id: 'hat-1', price: null },
    ]);
    expect(update.json()).toEqual({ created: 0, updated: 2, unchanged: 0 });
    const shoe = (await get('shoe-1')).json();
    expect(shoe).toMatchObject({
      id: 'shoe-1',
      title: 'Trail Runner',
      categories: ['Shoes', 'Running'],
      brand: 'Acme',
      price: 99,
      currency: 'EUR',
      stock: 0,
      in_stock: false,
      tags: ['new'],
      attributes: { size: '42', waterproof: true },
    });
    const changes = await changesSince(t.ctx.store.db, 'default', 0);
    expect(changes.map((c) => [c.itemId, c.field, c.oldValue, c.newValue])).toEqual([
      ['shoe-1', 'price', '120', '99'],
      ['shoe-1', 'in_stock', '1', '0'],
      ['shoe-1', 'stock', '4', '0'],
      ['hat-1', 'price', '20', null],
    ]);
    expect((await get('hat-1')).json().price).toBeNull();
  });

  it('lists by category, brand, stock and text, cursor-paged', async () => {
    await put(
      Array.from({ length: 5 }, (_, i) => ({
        id: `sock-${i}`,
        title: `Cosy Sock ${i}`,
        categories: ['Socks'],
        brand: i % 2 ? 'Zed' : 'Acme',
        in_stock: i !== 3,
      })),
    );
    const socks = await send(t, 'GET', '/v1/catalog/items?category=Socks&limit=2', t.keys.read);
    const page = socks.json();
    expect(page.items.map((i: { id: string }) => i.id)).toEqual(['sock-0', 'sock-1']);
    expect(page.nextCursor).toBe('sock-1');
    const zed = await send(t, 'GET', '/v1/catalog/items?brand=Zed&in_stock=true', t.keys.read);
    expect(zed.json().items.map((i: { id: string }) => i.id)).toEqual(['sock-1']);
    const text = await send(t, 'GET', '/v1/catalog/items?q=cosy%20sock%204', t.keys.read);
    expect(text.json().items.map((i: { id: string }) => i.id)).toEqual(['sock-4']);
  });

  it('deletes items and answers 404 afterwards', async () => {
    await put([{ id: 'gone', title: 'Bye' }]);
    expect((await send(t, 'DELETE', '/v1/catalog/items/gone', t.keys.write)).statusCode).toBe(204);
    expect((await get('gone')).statusCode).toBe(404);
    expect((await send(t, 'DELETE', '/v1/catalog/items/gone', t.keys.write)).statusCode).toBe(404);
  });

  it('rejects bad items with the path of each problem and writes nothing', async () => {
    const res = await put([
      { id: 'ok-1', title: 'fine' },
      { id: '', price: -3, currency: 'euro', categories: 'Shoes' },
    ]);
    expect(res.statusCode).toBe(400);
    const paths = res
      .json()
      .error.details.map((d: { path: string }) => d.path)
      .sort();
    expect(paths).toEqual([
      'items.1.categories',
      'items.1.currency',
      'items.1.id',
      'items.1.price',
    ]);
    expect((await get('ok-1')).statusCode).toBe(404);
  });

  it('rejects an unknown field instead of ignoring it', async () => {
    await put([{ id: 'spelt', title: 'Lamp' }]);
    const res = await put([{ id: 'spelt', inStock: false }]);
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { path: string; problem: string }[];
    expect(details.map((d) => d.path)).toEqual(['items.0']);
    expect(details[0]!.problem).toContain('inStock');
  });

  it('learns items from product events without overwriting with missing fields', async () => {
    await put([{ id: 'p-9', title: 'Canvas Bag', categories: ['Bags'], price: 35, brand: 'Acme' }]);
    await send(t, 'POST', '/v1/batch', t.keys.write, {
      batch: [
        {
          type: 'track',
          userId: 'u',
          event: 'Product Viewed',
          properties: { product_id: 'p-9', price: 30 },
        },
        {
          type: 'track',
          userId: 'u',
          event: 'Product Added',
          properties: {
            product_id: 'new-1',
            name: 'Scarf',
            category: 'Accessories',
            brand: 'Zed',
            price: 15,
            image_url: 'https://img/1.png',
          },
        },
        {
          type: 'track',
          userId: 'u',
          event: 'Order Completed',
          properties: {
            order_id: 'o',
            products: [{ product_id: 'new-2', name: 'Gloves', price: 1 }],
          },
        },
      ],
    });
    await t.ctx.profiles.drain();
    expect((await get('p-9')).json()).toMatchObject({
      title: 'Canvas Bag',
      categories: ['Bags'],
      brand: 'Acme',
      price: 30,
    });
    expect((await get('new-1')).json()).toMatchObject({
      title: 'Scarf',
      categories: ['Accessories'],
      brand: 'Zed',
      price: 15,
      image: 'https://img/1.png',
    });
    // Order lines name the product but their price may be discounted: not a list price.
    expect((await get('new-2')).json()).toMatchObject({ title: 'Gloves', price: null });
  });
});
