import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

describe.each(STORE_KINDS)('template preview lists variables the person lacks (%s)', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(kind, { publicUrl: 'https://r.example.com' });
    await send(t, 'POST', '/v1/identify', t.keys.write, {
      userId: 'eve',
      traits: { first_name: 'Eve', email: 'eve@example.com', plan: 'pro' },
    });
    await t.ctx.profiles.drain();
  });
  afterEach(async () => {
    await t.close();
  });

  it('names each missing variable and the path it was probably meant to be', async () => {
    const created = await send(t, 'POST', '/v1/templates', t.keys.admin, {
      id: 'typo',
      name: 'Typo',
      channel: 'email',
      subject: 'Hi {{ profile.traits.frist_name }}',
      html: '<p>{{ profile.traits.plan }} {{ profile.computed.ordr_count }} {{ event.properties.sku }}</p>',
    });
    expect(created.statusCode).toBe(201);
    const preview = await send(t, 'POST', '/v1/templates/typo/preview', t.keys.admin, {
      value: 'eve',
      event: { event: 'Product Viewed', properties: { sku: 'A-1' } },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      fields: { subject: 'Hi ', html: '<p>pro  A-1</p>' },
      warnings: [
        { variable: 'profile.traits.frist_name', didYouMean: 'profile.traits.first_name' },
        { variable: 'profile.computed.ordr_count', didYouMean: 'profile.computed.order_count' },
      ],
    });
    // Without the event, its properties are not in the data either.
    const bare = await send(t, 'POST', '/v1/templates/typo/preview', t.keys.admin, {
      value: 'eve',
    });
    expect(
      bare.json<{ warnings: { variable: string }[] }>().warnings.map((w) => w.variable),
    ).toEqual(['profile.traits.frist_name', 'profile.computed.ordr_count', 'event.properties.sku']);
  });

  it('lists nothing for a template that reads only what exists', async () => {
    const preview = await send(t, 'POST', '/v1/templates', t.keys.admin, {
      id: 'fine',
      name: 'Fine',
      channel: 'email',
      subject: 'Hi {{ profile.traits.first_name }}',
      text: '{{ links.unsubscribe }}',
    });
    expect(preview.statusCode).toBe(201);
    const res = await send(t, 'POST', '/v1/templates/fine/preview', t.keys.admin, { value: 'eve' });
    expect(res.json<{ warnings: unknown[] }>().warnings).toEqual([]);
  });
});
