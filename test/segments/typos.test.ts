import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';

interface ErrorBody {
  error: { code: string; details: { path: string; problem: string }[] };
}
interface Warning {
  path: string;
  problem: string;
  didYouMean?: string;
}

describe.each(STORE_KINDS)('typos in segment definitions (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 9, 1, 12));
    t = await createTestApp(kind, { clock });
  });
  afterEach(async () => {
    await t.close();
  });

  const track = async (userId: string, event: string) => {
    const res = await send(t, 'POST', '/v1/track', t.keys.write, { userId, event });
    expect(res.statusCode).toBe(200);
  };

  it('accepts a description, as docs/segments.md says, and keeps it', async () => {
    const res = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Pro plan',
      description: 'People on the pro plan',
      definition: { trait: 'plan', eq: 'pro' },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    const shown = await send(t, 'GET', `/v1/segments/${id}`, t.keys.read);
    expect(shown.json<{ description: string }>().description).toBe('People on the pro plan');
    const bad = await send(t, 'PUT', `/v1/segments/${id}`, t.keys.admin, {
      name: 'Pro plan',
      description: 42,
      definition: { trait: 'plan', eq: 'pro' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.details[0]!.path).toBe('description');
  });

  it('refuses an unknown computed trait, naming the path and the likely one', async () => {
    const res = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Repeat buyers',
      definition: {
        all: [
          { trait: 'plan', eq: 'pro' },
          { computed: 'odrer_count', gte: 3 },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<ErrorBody>();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details).toEqual([
      {
        path: 'definition.all.1.computed',
        problem:
          'unknown computed trait "odrer_count"; did you mean "order_count"? (see docs/computed-traits.md)',
      },
    ]);
    const nested = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Champions',
      definition: { computed: 'rfm.cdoe', in: ['555'] },
    });
    expect(nested.statusCode).toBe(400);
    expect(nested.json<ErrorBody>().error.details[0]!.problem).toContain(
      'unknown computed trait "rfm.cdoe": "rfm" has no "cdoe"; did you mean "rfm.code"?',
    );
    // Nothing was saved.
    const list = await send(t, 'GET', '/v1/segments', t.keys.read);
    const names = list.json<{ segments: { name: string }[] }>().segments.map((s) => s.name);
    expect(names).not.toContain('Repeat buyers');
    expect(names).not.toContain('Champions');
    // Maps (event counts, stated traits) take any key.
    const ok = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Counted',
      definition: { computed: 'event_counts.Order Completed', gte: 1 },
    });
    expect(ok.statusCode).toBe(201);
  });

  it('refuses an unknown computed trait in a preview too', async () => {
    const res = await send(t, 'POST', '/v1/segments/preview', t.keys.admin, {
      definition: { computed: 'lifecylce', eq: 'at_risk' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.details[0]).toMatchObject({
      path: 'definition.computed',
      problem: expect.stringContaining('did you mean "lifecycle"?') as string,
    });
  });

  it('warns about an event never received, with the closest seen name', async () => {
    await track('ada', 'Product Viewed');
    await track('ada', 'Order Completed');
    await t.ctx.profiles.drain();
    const res = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Viewers',
      definition: {
        any: [
          { event: 'Product Viewd', within: 'P7D' },
          { event: 'Order Completed' },
          { not: { event: 'Wishlist Shared' } },
        ],
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; warnings: Warning[] }>();
    expect(body.warnings).toEqual([
      {
        path: 'definition.any.0.event',
        problem:
          'no "Product Viewd" event has been received in this workspace yet; did you mean "Product Viewed"?',
        didYouMean: 'Product Viewed',
      },
      {
        path: 'definition.any.2.not.event',
        problem:
          'no "Wishlist Shared" event has been received in this workspace yet (it may arrive later)',
      },
    ]);
    // Once the event arrives the warning goes.
    await track('bob', 'Wishlist Shared');
    const again = await send(t, 'PUT', `/v1/segments/${body.id}`, t.keys.admin, {
      name: 'Viewers',
      definition: { event: 'Wishlist Shared' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json<{ warnings: Warning[] }>().warnings).toEqual([]);
    const preview = await send(t, 'POST', '/v1/segments/preview', t.keys.admin, {
      definition: { event: 'order completed' },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json<{ warnings: Warning[] }>().warnings[0]!.didYouMean).toBe('Order Completed');
  });

  it("looks only at the workspace's own events", async () => {
    const other = await send(t, 'POST', '/v1/segments', t.keys.admin, {
      name: 'Nobody yet',
      definition: { event: 'Product Viewed' },
    });
    expect(other.json<{ warnings: Warning[] }>().warnings).toHaveLength(1);
  });
});
