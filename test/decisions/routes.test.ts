// Offers and placements over HTTP: versions, audit entries, and a clear 400 naming the
// field for each kind of bad input (issue #15).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { decide, offer, placement, person } from './fixtures.js';

type Problem = { error: { code: string; details: { path: string; problem: string }[] } };
const paths = (body: string) => (JSON.parse(body) as Problem).error.details.map((d) => d.path);

describe.each(STORE_KINDS)('offers and placements over HTTP (%s)', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(kind);
  });
  afterEach(async () => t.close());

  it('versions offers on PUT, lists and deletes them, and audits each change', async () => {
    expect((await offer(t, 'ten', { value: 10 })).version).toBe(1);
    const put = await send(t, 'PUT', '/v1/offers/ten', t.keys.admin, {
      name: 'Ten off, v2',
      kind: 'discount_code',
      value: 10,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ id: 'ten', version: 2, name: 'Ten off, v2' });
    const list = await send(t, 'GET', '/v1/offers', t.keys.read);
    expect(list.json<{ offers: { id: string; version: number }[] }>().offers).toEqual([
      expect.objectContaining({ id: 'ten', version: 2 }),
    ]);
    expect((await send(t, 'GET', '/v1/offers/ten', t.keys.read)).json()).toMatchObject({
      spent: { count: 0, amount: 0 },
    });
    expect((await send(t, 'DELETE', '/v1/offers/ten', t.keys.admin)).statusCode).toBe(204);
    expect((await send(t, 'GET', '/v1/offers/ten', t.keys.read)).statusCode).toBe(404);
    const audit = await send(t, 'GET', '/v1/admin/audit', t.keys.admin);
    const actions = audit.json<{ entries: { action: string; target: { id: string } }[] }>().entries;
    expect(actions.map((e) => e.action).sort()).toEqual([
      'offer.create',
      'offer.delete',
      'offer.update',
    ]);
  });

  it('answers 400 naming eligibility when it does not parse', async () => {
    const bad = await send(t, 'POST', '/v1/offers', t.keys.admin, {
      id: 'x',
      name: 'X',
      kind: 'content_block',
      eligibility: { trait: 'plan', frobnicates: 'pro' },
    });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad.body).every((p) => p.startsWith('eligibility'))).toBe(true);
    expect(paths(bad.body).length).toBeGreaterThan(0);
    const unknownSegment = await send(t, 'POST', '/v1/offers', t.keys.admin, {
      id: 'x',
      name: 'X',
      kind: 'content_block',
      eligibility: { segment: 'nope' },
    });
    expect(unknownSegment.statusCode).toBe(400);
    expect(paths(unknownSegment.body)[0]).toMatch(/^eligibility/);
    // A context leaf is part of the language.
    await offer(t, 'ctx', { eligibility: { context: 'device', eq: 'mobile' } });
  });

  it('answers 400 naming the candidates that are not offers, and the default', async () => {
    await offer(t, 'a');
    const res = await send(t, 'POST', '/v1/placements', t.keys.admin, {
      name: 'email_hero',
      candidates: ['a', 'ghost'],
      default: 'nothing',
      policy: { kind: 'fixed' },
    });
    expect(res.statusCode).toBe(400);
    expect(paths(res.body)).toEqual(['candidates.1', 'default']);
    const policy = await send(t, 'POST', '/v1/placements', t.keys.admin, {
      name: 'email_hero',
      candidates: ['a'],
      default: 'a',
      policy: { kind: 'roulette' },
    });
    expect(policy.statusCode).toBe(400);
    expect(paths(policy.body)[0]).toMatch(/^policy/);
  });

  it('refuses a budget below what was already spent, naming budget.count', async () => {
    await offer(t, 'b', { budget: { count: 5 } });
    await offer(t, 'none', { kind: 'no_offer' });
    await placement(t, 'cart', { candidates: ['b'], default: 'none' });
    await person(t, 'u1');
    for (let i = 0; i < 3; i++)
      expect((await decide(t, { placement: 'cart', userId: 'u1' })).offer?.id).toBe('b');
    const low = await send(t, 'PUT', '/v1/offers/b', t.keys.admin, {
      name: 'B',
      kind: 'discount_code',
      budget: { count: 2 },
    });
    expect(low.statusCode).toBe(400);
    expect(paths(low.body)).toEqual(['budget.count']);
    const ok = await send(t, 'PUT', '/v1/offers/b', t.keys.admin, {
      name: 'B',
      kind: 'discount_code',
      budget: { count: 3 },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    // Spent to the new budget: the default, for want of an eligible offer.
    const d = await decide(t, { placement: 'cart', userId: 'u1' });
    expect(d.offer?.id).toBe('none');
    expect(d.reasons).toContain('no_eligible_offer');
  });

  it('answers 400 naming placement for an unknown one, and for a missing person', async () => {
    const res = await send(t, 'POST', '/v1/decide', t.keys.read, {
      placement: 'nowhere',
      userId: 'u',
    });
    expect(res.statusCode).toBe(400);
    expect(paths(res.body)).toEqual(['placement']);
    const nobody = await send(t, 'POST', '/v1/decide', t.keys.read, { placement: 'nowhere' });
    expect(nobody.statusCode).toBe(400);
    expect(paths(nobody.body)).toEqual(['userId']);
  });

  it('refuses to delete an offer a placement names, and versions placements', async () => {
    await offer(t, 'a');
    await offer(t, 'b');
    await placement(t, 'hero', { candidates: ['a'], default: 'b' });
    const del = await send(t, 'DELETE', '/v1/offers/b', t.keys.admin);
    expect(del.statusCode).toBe(409);
    const put = await send(t, 'PUT', '/v1/placements/hero', t.keys.admin, {
      candidates: ['a', 'b'],
      default: 'b',
      policy: { kind: 'weighted', weights: { a: 1, b: 1 } },
      holdoutPercent: 10,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({
      name: 'hero',
      version: 2,
      holdoutPercent: 10,
      attributionWindow: 'P7D',
    });
    expect(
      (await send(t, 'GET', '/v1/placements', t.keys.read)).json<{ placements: unknown[] }>()
        .placements,
    ).toHaveLength(1);
    expect((await send(t, 'DELETE', '/v1/placements/hero', t.keys.admin)).statusCode).toBe(204);
    expect((await send(t, 'GET', '/v1/placements/hero', t.keys.read)).statusCode).toBe(404);
  });

  it('imports codes once each, and audits the import without the codes', async () => {
    await offer(t, 'c', { codes: true });
    const first = await send(t, 'POST', '/v1/offers/c/codes', t.keys.admin, {
      codes: ['A1', 'A2', 'A2'],
    });
    expect(first.json()).toEqual({ imported: 2, duplicates: 1, free: 2 });
    const again = await send(t, 'POST', '/v1/offers/c/codes', t.keys.admin, {
      codes: ['A2', 'A3'],
    });
    expect(again.json()).toEqual({ imported: 1, duplicates: 1, free: 3 });
    expect((await send(t, 'GET', '/v1/offers/c', t.keys.read)).json()).toMatchObject({
      codesFree: 3,
    });
    const bad = await send(t, 'POST', '/v1/offers/c/codes', t.keys.admin, { codes: ['has space'] });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad.body)).toEqual(['codes.0']);
    expect(
      (await send(t, 'POST', '/v1/offers/zz/codes', t.keys.admin, { codes: ['Q'] })).statusCode,
    ).toBe(404);
    const audit = await send(t, 'GET', '/v1/admin/audit', t.keys.admin);
    expect(audit.body).not.toContain('A3');
    expect(audit.body).toContain('offer.codes.import');
  });
});
