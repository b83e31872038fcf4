// Sensitive attributes may not feed decisions (issue #17): an offer's eligibility and a
// contextual policy's features are refused with the rule and the attribute named.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { offer } from './fixtures.js';

describe.each(STORE_KINDS)('sensitive attributes in decisions (%s)', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(kind);
    await offer(t, 'none', { kind: 'no_offer' });
  });
  afterEach(async () => t.close());

  const create = (url: string, body: Record<string, unknown>) =>
    send(t, 'POST', url, t.keys.admin, body);

  it('refuses an offer whose eligibility reads a sensitive trait or context key', async () => {
    const base = { name: 'Offer', kind: 'discount_code', content: {} };
    const byTrait = await create('/v1/offers', {
      ...base,
      id: 'faith',
      eligibility: { trait: 'religion', eq: 'x' },
    });
    expect(byTrait.statusCode, byTrait.body).toBe(400);
    expect(byTrait.body).toContain('eligibility.trait');
    expect(byTrait.body).toContain('religion');
    const byContext = await create('/v1/offers', {
      ...base,
      id: 'near',
      eligibility: { all: [{ context: 'latitude', gt: 48 }] },
    });
    expect(byContext.statusCode, byContext.body).toBe(400);
    expect(byContext.body).toContain('eligibility.all.0.context');
    // Nothing was written.
    const list = await send(t, 'GET', '/v1/offers', t.keys.read);
    expect(list.json<{ offers: { id: string }[] }>().offers.map((o) => o.id)).toEqual(['none']);
  });

  it('refuses a placement whose contextual policy reads a sensitive context feature', async () => {
    const res = await create('/v1/placements', {
      name: 'hero',
      candidates: ['none'],
      default: 'none',
      policy: { kind: 'linucb', features: ['hour', 'ctx.longitude'] },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.body).toContain('policy.features.1');
    expect(res.body).toContain('longitude');
    const fine = await create('/v1/placements', {
      name: 'hero',
      candidates: ['none'],
      default: 'none',
      policy: { kind: 'linucb', features: ['hour', 'ctx.page_type=cart'] },
    });
    expect(fine.statusCode, fine.body).toBe(201);
  });
});
