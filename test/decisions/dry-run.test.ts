// The dashboard's "decide for a person" preview (POST /v1/decide with dryRun): the same
// choice a decision makes, with nothing logged, spent, claimed or recorded; and the
// read-only views the offer and placement pages show (versions, what a policy learned).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { learnStep } from '../../src/decisions/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestApp, send, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/stores.js';
import { decide, offer, person, placement, track } from './fixtures.js';

type Problem = { error: { code: string; details: { path: string; problem: string }[] } };
const paths = (body: string) => (JSON.parse(body) as Problem).error.details.map((d) => d.path);

describe.each(STORE_KINDS)('decide previews and placement stats (%s)', (kind) => {
  let t: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 1, 12));
    t = await createTestApp(kind, { clock });
    await offer(t, 'none', { kind: 'no_offer' });
  });
  afterEach(async () => t.close());

  const count = async (table: 'decisions' | 'experiment_assignments' | 'experiments') =>
    Number(
      (
        await t.ctx.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const preview = async (body: Record<string, unknown>) => {
    const res = await send(t, 'POST', '/v1/decide', t.keys.read, { ...body, dryRun: true });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      decisionId: null;
      dryRun: true;
      offer: { id: string; code: string | null } | null;
      reasons: string[];
    }>();
  };

  it('previews the offer with no decision logged, no budget spent, no code claimed and no arm recorded', async () => {
    await offer(t, 'vip', { value: 5, budget: { count: 2 }, codes: true, priority: 10 });
    await send(t, 'POST', '/v1/offers/vip/codes', t.keys.admin, { codes: ['A1', 'A2', 'A3'] });
    await placement(t, 'hero', { candidates: ['vip'], default: 'none', holdoutPercent: 50 });
    await person(t, 'ann');
    const experimentsBefore = await count('experiments');
    for (let i = 0; i < 5; i++) {
      const p = await preview({ placement: 'hero', userId: 'ann' });
      expect(p.decisionId).toBeNull();
      expect(p.dryRun).toBe(true);
    }
    expect(await count('decisions')).toBe(0);
    expect(await count('experiment_assignments')).toBe(0);
    // The holdout's experiment is not even created by a preview.
    expect(await count('experiments')).toBe(experimentsBefore);
    const vip = (await send(t, 'GET', '/v1/offers/vip', t.keys.read)).json<{
      spent: { count: number; amount: number };
      codesFree: number;
    }>();
    expect(vip.spent).toEqual({ count: 0, amount: 0 });
    expect(vip.codesFree).toBe(3);

    // The preview shows what the real decision then does: the same arm, the same offer.
    const previewed = await preview({ placement: 'hero', userId: 'ann' });
    const real = await decide(t, { placement: 'hero', userId: 'ann' });
    expect(real.offer?.id).toBe(previewed.offer?.id);
    expect(real.holdout).toBe(previewed.reasons.includes('holdout'));
    expect(await count('decisions')).toBe(1);
  });

  it('says in a preview when the budget or the codes have run out, without spending', async () => {
    await offer(t, 'spent', { value: 10, budget: { spend: 10 }, priority: 10 });
    await offer(t, 'coded', { codes: true, priority: 5 });
    await offer(t, 'plain', { priority: 1 });
    await placement(t, 'hero', { candidates: ['spent', 'coded', 'plain'], default: 'none' });
    await person(t, 'ann');
    await person(t, 'bob');
    expect((await decide(t, { placement: 'hero', userId: 'ann' })).offer?.id).toBe('spent');
    const p = await preview({ placement: 'hero', userId: 'bob' });
    expect(p.offer?.id).toBe('plain');
    expect(p.reasons).toEqual(
      expect.arrayContaining(['excluded:spent:budget', 'excluded:coded:no_codes']),
    );
    expect(await count('decisions')).toBe(1);
  });

  it('refuses a preview from a public key, and a dryRun that is not a boolean', async () => {
    await placement(t, 'hero', { candidates: ['none'], default: 'none' });
    const key = await send(t, 'POST', '/v1/admin/keys', t.keys.admin, { scope: 'public' });
    const publicKey = key.json<{ key: string }>().key;
    const refused = await send(t, 'POST', '/v1/decide', publicKey, {
      placement: 'hero',
      anonymousId: 'a-1',
      dryRun: true,
    });
    expect(refused.statusCode).toBe(403);
    expect(paths(refused.body)).toEqual(['dryRun']);
    const bad = await send(t, 'POST', '/v1/decide', t.keys.read, {
      placement: 'hero',
      userId: 'ann',
      dryRun: 'yes',
    });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad.body)).toEqual(['dryRun']);
    expect(await count('decisions')).toBe(0);
  });

  it('lists what each version of an offer said, newest first', async () => {
    await offer(t, 'ten', { name: 'Ten off', value: 10 });
    const put = await send(t, 'PUT', '/v1/offers/ten', t.keys.admin, {
      name: 'Ten off, v2',
      kind: 'discount_code',
      value: 12,
    });
    expect(put.statusCode, put.body).toBe(200);
    const res = await send(t, 'GET', '/v1/offers/ten/versions', t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    const { versions } = res.json<{
      versions: { version: number; definition: { name: string; value: number } }[];
    }>();
    expect(versions.map((v) => [v.version, v.definition.name, v.definition.value])).toEqual([
      [2, 'Ten off, v2', 12],
      [1, 'Ten off', 10],
    ]);
    expect((await send(t, 'GET', '/v1/offers/ghost/versions', t.keys.read)).statusCode).toBe(404);
    const tooLong = await send(t, 'GET', `/v1/offers/${'x'.repeat(201)}/versions`, t.keys.read);
    expect(tooLong.statusCode).toBe(400);
    expect(paths(tooLong.body)).toEqual(['params.id']);
  });

  it("shows what a placement's policy learned and its decisions per offer", async () => {
    await offer(t, 'a', { priority: 10 });
    await offer(t, 'b');
    await placement(t, 'hero', {
      candidates: ['a', 'b'],
      default: 'none',
      policy: { kind: 'thompson' },
    });
    const empty = await send(t, 'GET', '/v1/placements/hero/stats', t.keys.read);
    expect(empty.json()).toMatchObject({
      placement: 'hero',
      version: 1,
      policy: 'thompson',
      learned: null,
      logged: [],
    });
    for (const who of ['p1', 'p2', 'p3']) await person(t, who);
    const decided = [];
    for (const who of ['p1', 'p2', 'p3'])
      decided.push(await decide(t, { placement: 'hero', userId: who }));
    const first = decided[0]!;
    await track(t, 'p1', 'Offer Clicked', { decision_id: first.decisionId });
    expect(await learnStep(t.ctx.store, t.clock)).toBe(true);
    const res = await send(t, 'GET', '/v1/placements/hero/stats', t.keys.read);
    expect(res.statusCode, res.body).toBe(200);
    const stats = res.json<{
      learned: { offerId: string; n: number; rewardSum: number; meanReward: number }[];
      logged: { offerId: string; decisions: number; clicked: number; holdout: boolean }[];
      days: number;
    }>();
    expect(stats.learned).toEqual([
      { offerId: first.offer!.id, n: 1, rewardSum: 1, meanReward: 1 },
    ]);
    const perOffer = new Map<string, number>();
    for (const d of decided) perOffer.set(d.offer!.id, (perOffer.get(d.offer!.id) ?? 0) + 1);
    expect(stats.logged.reduce((n, r) => n + r.decisions, 0)).toBe(3);
    expect(stats.logged.find((r) => r.offerId === first.offer!.id)).toMatchObject({
      decisions: perOffer.get(first.offer!.id),
      clicked: 1,
      holdout: false,
    });
    expect(stats.days).toBe(30);
    // Previews are not in the log, so not in the counts.
    await preview({ placement: 'hero', userId: 'p2' });
    const again = await send(t, 'GET', '/v1/placements/hero/stats', t.keys.read);
    expect(again.json<typeof stats>().logged.reduce((n, r) => n + r.decisions, 0)).toBe(3);
    expect((await send(t, 'GET', '/v1/placements/ghost/stats', t.keys.read)).statusCode).toBe(404);
    const bad = await send(t, 'GET', `/v1/placements/${'x'.repeat(201)}/stats`, t.keys.read);
    expect(bad.statusCode).toBe(400);
    expect(paths(bad.body)).toEqual(['params.name']);
  });

  it('validates an offer without saving it: the problems a save would answer 400 with', async () => {
    await offer(t, 'ten', { value: 10, budget: { count: 5 } });
    await placement(t, 'hero', { candidates: ['ten'], default: 'none' });
    await person(t, 'ann');
    await decide(t, { placement: 'hero', userId: 'ann' });
    const check = async (body: unknown) => {
      const res = await send(t, 'POST', '/v1/offers/validate', t.keys.admin, body);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ ok: boolean; problems: { path: string; problem: string }[] }>();
    };
    const good = { name: 'Ten', kind: 'discount_code', value: 10 };
    expect(await check({ offer: { id: 'new1', ...good } })).toEqual({ ok: true, problems: [] });
    expect((await check({ offer: { id: 'ten', ...good } })).problems).toEqual([
      { path: 'id', problem: 'already exists' },
    ]);
    const bad = await check({
      id: 'ten',
      offer: {
        ...good,
        caps: { perPerson: { max: 1, within: 'seven days' } },
        budget: { count: 0 },
      },
    });
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => p.path)).toEqual(['caps.perPerson.within']);
    expect((await check({ id: 'ten', offer: { ...good, budget: { count: 0 } } })).problems).toEqual(
      [{ path: 'budget.count', problem: 'is below what was already spent (1)' }],
    );
    expect(
      (
        await check({
          offer: {
            id: 'x',
            ...good,
            validFrom: '2026-12-01T00:00:00Z',
            validUntil: '2026-11-01T00:00:00Z',
          },
        })
      ).problems,
    ).toEqual([{ path: 'validUntil', problem: 'must be after validFrom' }]);
    // Nothing was saved; an unknown offer to change is a 404; the envelope is checked.
    expect((await send(t, 'GET', '/v1/offers/new1', t.keys.read)).statusCode).toBe(404);
    expect((await send(t, 'GET', '/v1/offers/ten', t.keys.read)).json()).toMatchObject({
      version: 1,
      budget: { count: 5 },
    });
    const ghost = await send(t, 'POST', '/v1/offers/validate', t.keys.admin, {
      id: 'ghost',
      offer: good,
    });
    expect(ghost.statusCode).toBe(404);
    const envelope = await send(t, 'POST', '/v1/offers/validate', t.keys.admin, {
      offer: good,
      extra: 1,
    });
    expect(envelope.statusCode).toBe(400);
    expect(envelope.body).toContain('extra');
    const readOnly = await send(t, 'POST', '/v1/offers/validate', t.keys.read, { offer: good });
    expect(readOnly.statusCode).toBe(403);
  });
});
