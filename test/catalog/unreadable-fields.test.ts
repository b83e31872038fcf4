// An item's JSON fields are decoded through the item's schema. One that does not decode
// reads as empty: the item keeps serving on its other fields, and the next upsert that
// sets the field repairs it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allItems } from '../../src/catalog/index.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('catalog fields that do not decode (%s)', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(kind);
  });
  afterEach(async () => {
    await t.close();
  });
  const put = (items: unknown[]) => send(t, 'PUT', '/v1/catalog/items', t.keys.write, { items });

  it('read as empty while the item serves, until an upsert sets them again', async () => {
    await put([
      {
        id: 'shoe-1',
        title: 'Trail Runner',
        categories: ['Shoes'],
        price: 120,
        tags: ['new'],
        attributes: { size: '42' },
      },
      { id: 'hat-1', title: 'Wool Hat', categories: ['Hats'], price: 20 },
    ]);
    await t.ctx.store.db
      .updateTable('catalog_items')
      .set({ categories: '["Shoes"', tags: '[1, 2]', attributes: '{"size": {"eu": 42}}' })
      .where('id', '=', 'shoe-1')
      .execute();

    const shoe = await send(t, 'GET', '/v1/catalog/items/shoe-1', t.keys.read);
    expect(shoe.statusCode).toBe(200);
    expect(shoe.json()).toMatchObject({
      id: 'shoe-1',
      title: 'Trail Runner',
      price: 120,
      categories: [],
      tags: [],
      attributes: {},
    });
    const list = await send(t, 'GET', '/v1/catalog/items', t.keys.read);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual(['hat-1', 'shoe-1']);
    expect((await allItems(t.ctx.store.db, 'default')).map((i) => i.categories)).toEqual([
      ['Hats'],
      [],
    ]);

    await put([{ id: 'shoe-1', categories: ['Shoes', 'Trail'], tags: ['new'] }]);
    expect((await send(t, 'GET', '/v1/catalog/items/shoe-1', t.keys.read)).json()).toMatchObject({
      categories: ['Shoes', 'Trail'],
      tags: ['new'],
      attributes: {},
    });
  });
});
